import Lightning

/// One row of the wallet history: money in (a paid invoice) or out (a payment).
public struct WalletTransaction: Sendable, Hashable {
    /// Which way the money moved.
    public enum Direction: String, Sendable, CaseIterable { case incoming, outgoing }

    public var direction: Direction
    public var paymentHash: PaymentHash
    public var amount: MilliSatoshi
    public var fee: MilliSatoshi
    public var status: String
    public var at: Int64
    /// The invoice's description (money in); `nil` for money out, whose description is in its ``bolt11``.
    public var description: String?
    /// The invoice's label (money in); payments have none.
    public var label: String?
    /// The invoice's caller-supplied JSON, verbatim (money in); payments have none.
    public var metadata: String?
    /// The invoice paid (money out); `nil` for money in.
    public var bolt11: String?

    /// Creates a row.
    public init(
        direction: Direction, paymentHash: PaymentHash, amount: MilliSatoshi, fee: MilliSatoshi, status: String,
        at: Int64, description: String?, label: String? = nil, metadata: String? = nil, bolt11: String? = nil
    ) {
        self.direction = direction
        self.paymentHash = paymentHash
        self.amount = amount
        self.fee = fee
        self.status = status
        self.at = at
        self.description = description
        self.label = label
        self.metadata = metadata
        self.bolt11 = bolt11
    }
}

/// Which rows of the wallet history a listing and its totals cover.
public struct WalletTransactionFilter: Sendable, Hashable {
    /// The earliest time (Unix seconds, inclusive).
    public var from: Int64?
    /// The latest time (Unix seconds, inclusive).
    public var to: Int64?
    /// Money in or money out only.
    public var direction: WalletTransaction.Direction?
    /// Only the rows of this account (the account an invoice credits or a payment debits).
    public var account: String?

    /// Creates a filter; no condition lists every row.
    public init(
        from: Int64? = nil, to: Int64? = nil, direction: WalletTransaction.Direction? = nil, account: String? = nil
    ) {
        self.from = from
        self.to = to
        self.direction = direction
        self.account = account
    }
}

/// Sums over the whole filtered range of the wallet history or of an account's statement, not only one page of it.
public struct WalletTotals: Sendable, Hashable {
    /// Money received by paid invoices.
    public var incoming: MilliSatoshi
    /// Money sent by payments, fees apart.
    public var outgoing: MilliSatoshi
    /// Fees paid on top of ``outgoing``.
    public var fees: MilliSatoshi
    /// How many rows the range holds.
    public var count: Int64

    /// Creates totals.
    public init(incoming: MilliSatoshi, outgoing: MilliSatoshi, fees: MilliSatoshi, count: Int64) {
        self.incoming = incoming
        self.outgoing = outgoing
        self.fees = fees
        self.count = count
    }
}

/// One page of the wallet history and the totals of its whole filtered range.
public struct WalletHistory: Sendable {
    public var page: Page<WalletTransaction>
    public var totals: WalletTotals

    /// Creates a history page.
    public init(page: Page<WalletTransaction>, totals: WalletTotals) {
        self.page = page
        self.totals = totals
    }
}

/// The SQL both engines share for the wallet history; each adds its own parameters.
package enum WalletHistorySQL {
    /// Every row of the history as a table to select from (`direction`, `payment_hash`, `amount_msat`,
    /// `fee_msat`, `status`, `at`, `description`, `label`, `metadata`, `bolt11`, `account`): paid invoices and
    /// payments that did not fail. Both engines push a condition on `account` into each arm of the union, where
    /// the `invoices_account` and `payments_account` indexes serve it.
    package static let rows = """
        (
            SELECT 'incoming' AS direction, payment_hash, amount_received_msat AS amount_msat,
                CAST(0 AS BIGINT) AS fee_msat, status, paid_at AS at, description, label, metadata,
                CAST(NULL AS TEXT) AS bolt11, account
            FROM invoices WHERE status = 'paid'
            UNION ALL
            SELECT 'outgoing', payment_hash, amount_msat, coalesce(fee_msat, 0), status,
                coalesce(completed_at, created_at), CAST(NULL AS TEXT), CAST(NULL AS TEXT), CAST(NULL AS TEXT), bolt11,
                account
            FROM payments WHERE status != 'failed'
        ) AS history
        """

    /// The columns of ``WalletTotals`` over the rows selected (`in_msat`, `out_msat`, `fees_msat`, `count`).
    package static let totals = """
        CAST(coalesce(sum(CASE WHEN direction = 'incoming' THEN amount_msat END), 0) AS BIGINT) AS in_msat,
        CAST(coalesce(sum(CASE WHEN direction = 'outgoing' THEN amount_msat END), 0) AS BIGINT) AS out_msat,
        CAST(coalesce(sum(fee_msat), 0) AS BIGINT) AS fees_msat, count(*) AS count
        """
}
