import Lightning

/// The lifecycle of an account: `frozen` receives but cannot send or transfer; `closed` does neither.
public enum AccountStatus: String, Sendable, Hashable, CaseIterable {
    case open, frozen, closed
}

/// Optional spending limits of an account, enforced atomically with each hold or debit.
public struct AccountLimits: Sendable, Hashable {
    /// The largest single payment (its amount, without the fee).
    public var maxPayment: MilliSatoshi?
    /// The most the account may spend (payments and outgoing transfers) in any rolling 24 hours.
    public var dailySpend: MilliSatoshi?

    /// Creates limits; `nil` is no limit.
    public init(maxPayment: MilliSatoshi? = nil, dailySpend: MilliSatoshi? = nil) {
        self.maxPayment = maxPayment
        self.dailySpend = dailySpend
    }
}

/// An account of the ledger, as stored (without its balance).
public struct AccountRecord: Sendable, Hashable {
    /// The caller-chosen id; ids of system accounts (``treasury``, ``node``) start with `@`.
    public var id: String
    public var name: String?
    /// Caller-supplied JSON kept verbatim.
    public var metadata: String?
    public var limits: AccountLimits
    public var status: AccountStatus
    public var createdAt: Int64
    /// Digest of the creation parameters, to make `account.create` idempotent.
    public var requestFingerprint: String

    /// The operator's own money: every operation that names no account acts on it.
    public static let treasury = "@treasury"
    /// The asset side: what the books say the node wallet holds.
    public static let node = "@node"

    /// Whether `id` names a system account (they may go negative and cannot be created or closed by callers).
    public static func isSystem(_ id: String) -> Bool { id.hasPrefix("@") }

    /// Creates a record.
    public init(
        id: String, name: String?, metadata: String?, limits: AccountLimits, status: AccountStatus = .open,
        createdAt: Int64, requestFingerprint: String
    ) {
        self.id = id
        self.name = name
        self.metadata = metadata
        self.limits = limits
        self.status = status
        self.createdAt = createdAt
        self.requestFingerprint = requestFingerprint
    }
}

/// An account with its figures, read in O(1) from the balances table.
public struct AccountState: Sendable, Hashable {
    public var account: AccountRecord
    /// The sum of the account's postings (for ``AccountRecord/node``, the asset side, shown with its sign turned
    /// so that money the node holds is positive).
    public var balance: Int64
    /// The sum of open holds (payments in flight).
    public var held: Int64
    /// What the account spent (payments, outgoing transfers, open holds) in the last 24 hours.
    public var spentLastDay: Int64

    /// What the account can spend now: balance minus holds.
    public var available: Int64 { balance - held }

    /// Creates a state.
    public init(account: AccountRecord, balance: Int64, held: Int64, spentLastDay: Int64) {
        self.account = account
        self.balance = balance
        self.held = held
        self.spentLastDay = spentLastDay
    }
}

/// What an account update changes; `nil` fields stay as they are.
public struct AccountChange: Sendable, Hashable {
    public var name: String?
    public var metadata: String?
    public var limits: AccountLimits?
    /// `open` or `frozen` (closing is ``StoreEngine/closeAccount(_:)``).
    public var status: AccountStatus?

    /// Creates a change.
    public init(
        name: String? = nil, metadata: String? = nil, limits: AccountLimits? = nil, status: AccountStatus? = nil
    ) {
        self.name = name
        self.metadata = metadata
        self.limits = limits
        self.status = status
    }
}

/// A transfer between two accounts, as stored.
public struct TransferRecord: Sendable, Hashable {
    public var transferID: String
    public var from: String
    public var to: String
    public var amount: MilliSatoshi
    public var memo: String?
    public var createdAt: Int64
    /// The journal entry that moved the money (0 before it is written).
    public var entryID: Int64

    /// Creates a record.
    public init(
        transferID: String, from: String, to: String, amount: MilliSatoshi, memo: String?, createdAt: Int64,
        entryID: Int64 = 0
    ) {
        self.transferID = transferID
        self.from = from
        self.to = to
        self.amount = amount
        self.memo = memo
        self.createdAt = createdAt
        self.entryID = entryID
    }
}

/// Why the ledger refused to debit or hold: an answer to the caller, not a store failure.
public enum LedgerRefusal: Sendable, Hashable, Error {
    /// No account has this id.
    case accountNotFound(String)
    /// The account is frozen or closed: it cannot send.
    case accountFrozen(String, AccountStatus)
    /// The account's available balance is below the amount.
    case insufficientFunds(available: Int64)
    /// A limit refuses the amount: `limit` is its name (`max_payment_msat`, `daily_spend_msat`);
    /// `retryAfterSeconds` is when the rolling limit allows it, `nil` when waiting does not help.
    case limitExceeded(limit: String, retryAfterSeconds: Int64?)
}

/// Outcome of ``StoreEngine/transfer(_:key:fingerprint:events:)``.
public enum TransferOutcome: Sendable, Hashable {
    /// Moved now, with the events appended in the same transaction.
    case transferred(TransferRecord, [EventRecord])
    /// The idempotency key names this transfer, made with the same parameters: nothing moved again.
    case replayed(TransferRecord)
    /// Refused; nothing moved.
    case refused(LedgerRefusal)
}

/// What ``StoreEngine/ledgerAudit()`` found.
public struct LedgerAudit: Sendable, Hashable {
    /// How many journal entries and postings were checked.
    public var entries: Int64
    public var postings: Int64
    /// Entries whose postings do not sum to zero.
    public var unbalancedEntries: [Int64]
    /// Accounts whose stored balance or held amount differs from their postings or open holds.
    public var mismatchedAccounts: [String]
    /// Accounts other than system ones whose available balance is negative.
    public var negativeAccounts: [String]
    /// Holds whose payment is no longer pending.
    public var staleHolds: [String]
    /// What the daemon owes: the sum of every account's balance but `@node`'s.
    public var liabilities: Int64
    /// What the books say the node holds (`@node`'s balance); equals ``liabilities`` when entries balance.
    public var nodeBalance: Int64

    /// `backendBalance` (what the node reports holding) less what the accounts are owed: below zero, the daemon
    /// owes more than the node holds.
    public func surplus(backendBalance: Int64) -> Int64 { backendBalance - liabilities }

    /// Whether nothing is wrong.
    public var isClean: Bool {
        unbalancedEntries.isEmpty && mismatchedAccounts.isEmpty && negativeAccounts.isEmpty && staleHolds.isEmpty
            && liabilities == nodeBalance
    }

    /// Creates a result.
    public init(
        entries: Int64, postings: Int64, unbalancedEntries: [Int64], mismatchedAccounts: [String],
        negativeAccounts: [String], staleHolds: [String], liabilities: Int64, nodeBalance: Int64
    ) {
        self.entries = entries
        self.postings = postings
        self.unbalancedEntries = unbalancedEntries
        self.mismatchedAccounts = mismatchedAccounts
        self.negativeAccounts = negativeAccounts
        self.staleHolds = staleHolds
        self.liabilities = liabilities
        self.nodeBalance = nodeBalance
    }
}

/// What caused a journal entry.
public enum EntryKind: String, Sendable, Hashable, CaseIterable {
    /// The migration's entry giving existing history to `@treasury`.
    case opening
    /// An invoice paid over Lightning: `@node +X`, `A +X`.
    case invoice
    /// A payment over Lightning succeeded: `A -(X+f)`, `@node -(X+f)`.
    case payment
    /// A transfer between accounts.
    case transfer
    /// An invoice of one account paid by another account of the same daemon.
    case `internal`
    /// An operator's correction against `@treasury`.
    case adjustment
}
