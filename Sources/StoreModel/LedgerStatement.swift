/// Where a line of a statement stands: money moved (`settled`), held by a payment in flight (`pending`), or
/// released by a payment that failed (`failed`, nothing moved).
public enum StatementStatus: String, Sendable, Hashable, CaseIterable {
    case settled, pending, failed
}

/// One line of an account's statement: a posting of the account, with its entry and what caused it, or a
/// payment of the account that has no posting yet (pending) or never will (failed).
public struct StatementLine: Sendable, Hashable {
    /// The journal entry; `nil` for a pending or failed payment, which posted nothing.
    public var entryID: Int64?
    public var kind: EntryKind
    /// The posting's time; a payment's creation time for every line of a payment of this account, whatever
    /// its status (see ``StatementPosition``).
    public var at: Int64
    /// Signed: money in is positive, money out negative (fees included once settled).
    public var amount: Int64
    /// The other account of the entry (`@node` for Lightning).
    public var counterparty: String?
    public var paymentHash: String?
    public var transferID: String?
    /// A payment's routing fee, inside ``amount``; `nil` until the payment settles.
    public var fee: Int64?
    /// The invoice's label, or the transfer's memo.
    public var label: String?
    /// The invoice's description (of this daemon's invoices only).
    public var description: String?
    /// The invoice a payment line paid: an outgoing payment's description is read from it.
    public var bolt11: String?
    public var status: StatementStatus

    /// Creates a line.
    public init(
        entryID: Int64?, kind: EntryKind, at: Int64, amount: Int64, counterparty: String?, paymentHash: String?,
        transferID: String?, fee: Int64?, label: String?, description: String?, bolt11: String? = nil,
        status: StatementStatus
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
        self.bolt11 = bolt11
        self.status = status
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
    /// Only lines of this status; `nil` for all three.
    public var status: StatementStatus?

    /// Creates a filter.
    public init(
        incoming: Bool? = nil, kind: EntryKind? = nil, from: Int64? = nil, to: Int64? = nil,
        status: StatementStatus? = nil
    ) {
        self.incoming = incoming
        self.kind = kind
        self.from = from
        self.to = to
        self.status = status
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
