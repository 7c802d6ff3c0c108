/// One line of an account's statement: a posting of the account, with its entry and what caused it.
public struct StatementLine: Sendable, Hashable {
    public var entryID: Int64
    public var kind: EntryKind
    public var at: Int64
    /// Signed: money in is positive, money out negative (fees included).
    public var amount: Int64
    /// The other account of the entry (`@node` for Lightning).
    public var counterparty: String?
    public var paymentHash: String?
    public var transferID: String?
    /// A payment's routing fee, inside ``amount``.
    public var fee: Int64?
    /// The invoice's label, or the transfer's memo.
    public var label: String?
    /// The invoice's description.
    public var description: String?

    /// Creates a line.
    public init(
        entryID: Int64, kind: EntryKind, at: Int64, amount: Int64, counterparty: String?, paymentHash: String?,
        transferID: String?, fee: Int64?, label: String?, description: String?
    ) {
        self.entryID = entryID
        self.kind = kind
        self.at = at
        self.amount = amount
        self.counterparty = counterparty
        self.paymentHash = paymentHash
        self.transferID = transferID
        self.fee = fee
        self.label = label
        self.description = description
    }
}

/// Which lines of a statement to read.
public struct StatementFilter: Sendable, Hashable {
    /// Money in (`true`) or out (`false`); `nil` for both.
    public var incoming: Bool?
    public var kind: EntryKind?
    /// Inclusive time range.
    public var from: Int64?
    public var to: Int64?

    /// Creates a filter.
    public init(incoming: Bool? = nil, kind: EntryKind? = nil, from: Int64? = nil, to: Int64? = nil) {
        self.incoming = incoming
        self.kind = kind
        self.from = from
        self.to = to
    }
}

/// A page of a statement, newest first, and the totals of the filtered range.
public struct AccountStatement: Sendable {
    public var page: Page<StatementLine>
    public var totals: WalletTotals

    /// Creates a statement.
    public init(page: Page<StatementLine>, totals: WalletTotals) {
        self.page = page
        self.totals = totals
    }
}

/// The statement's SQL, the same text on both engines, with numbered parameters `?1`…`?7`: account, kind,
/// direction (`in`/`out`), from, to, cursor (entry id), limit.
package enum StatementSQL {
    private static let source = """
        FROM postings p JOIN ledger_entries e ON e.id = p.entry_id
        LEFT JOIN invoices i ON e.kind IN ('invoice', 'internal') AND i.payment_hash = e.payment_hash
        LEFT JOIN payments pay ON e.kind IN ('payment', 'internal') AND pay.payment_hash = e.payment_hash
        LEFT JOIN transfers t ON t.transfer_id = e.transfer_id
        WHERE p.account = ?1 AND (CAST(?2 AS TEXT) IS NULL OR e.kind = CAST(?2 AS TEXT))
            AND (CAST(?3 AS TEXT) IS NULL OR (CAST(?3 AS TEXT) = 'in' AND p.amount_msat > 0)
                OR (CAST(?3 AS TEXT) = 'out' AND p.amount_msat < 0))
            AND (CAST(?4 AS BIGINT) IS NULL OR e.at >= CAST(?4 AS BIGINT))
            AND (CAST(?5 AS BIGINT) IS NULL OR e.at <= CAST(?5 AS BIGINT))
        """

    /// One page of lines, newest first (`limit + 1` rows, to tell whether another page follows).
    package static let lines = """
        SELECT e.id AS entry_id, e.kind, e.at, e.payment_hash, e.transfer_id, p.amount_msat,
            (SELECT q.account FROM postings q WHERE q.entry_id = e.id AND q.account != p.account
                ORDER BY q.account LIMIT 1) AS counterparty,
            pay.fee_msat, coalesce(i.label, t.memo) AS label, i.description
        \(source) AND (CAST(?6 AS BIGINT) IS NULL OR e.id < CAST(?6 AS BIGINT))
        ORDER BY e.id DESC LIMIT ?7
        """

    /// The totals of the filtered range (every page).
    package static let totals = """
        SELECT count(*) AS count,
            CAST(coalesce(sum(CASE WHEN p.amount_msat > 0 THEN p.amount_msat ELSE 0 END), 0) AS BIGINT) AS in_msat,
            CAST(coalesce(sum(CASE WHEN p.amount_msat < 0 THEN -p.amount_msat ELSE 0 END), 0) AS BIGINT) AS out_msat,
            CAST(coalesce(sum(pay.fee_msat), 0) AS BIGINT) AS fees_msat
        \(source)
        """

    /// The parameters ?1…?7 in order.
    package static func arguments(account: String, filter: StatementFilter, cursor: String?, limit: Int)
        -> [StoreValue]
    {
        [
            .text(account), filter.kind.map { .text($0.rawValue) } ?? .null,
            filter.incoming.map { .text($0 ? "in" : "out") } ?? .null,
            filter.from.map(StoreValue.integer) ?? .null, filter.to.map(StoreValue.integer) ?? .null,
            cursor.flatMap { Int64($0) }.map(StoreValue.integer) ?? .null, .integer(Int64(limit + 1)),
        ]
    }

    /// The lines of `rows` (fetched `limit + 1`) and the cursor of the next page.
    package static func page(_ rows: [some StoreRow], limit: Int) throws -> Page<StatementLine> {
        let lines = try rows.prefix(limit).map { row in
            guard let kind = EntryKind(rawValue: try row.requiredText("kind")) else {
                throw StoreError(.corruptRow, "journal entry kind does not decode")
            }
            return StatementLine(
                entryID: try row.requiredInteger("entry_id"), kind: kind, at: try row.requiredInteger("at"),
                amount: try row.requiredInteger("amount_msat"), counterparty: try row.text("counterparty"),
                paymentHash: try row.text("payment_hash"), transferID: try row.text("transfer_id"),
                fee: try row.integer("fee_msat"), label: try row.text("label"), description: try row.text("description")
            )
        }
        return Page(items: lines, nextCursor: rows.count > limit ? lines.last.map { String($0.entryID) } : nil)
    }

    /// The totals row, with the columns of the wallet history's (an aggregate always answers one row; none
    /// reads as nothing in range).
    package static func totals(_ row: (some StoreRow)?) throws -> WalletTotals {
        guard let row else { return WalletTotals(incoming: .zero, outgoing: .zero, fees: .zero, count: 0) }
        return try WalletTotals(row: row)
    }
}
