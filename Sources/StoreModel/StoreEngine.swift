import Lightning

/// Outcome of ``StoreEngine/createInvoice(_:)``.
public enum InvoiceInsertion: Sendable {
    /// Stored as new.
    case created(InvoiceRecord)
    /// The label already names an invoice created with the same parameters: that one.
    case existing(InvoiceRecord)
}

/// Outcome of ``StoreEngine/beginPayment(_:owner:)``.
public enum PaymentStart: Sendable {
    /// The intent is committed and an attempt opened: the caller may now ask the backend to pay.
    case started(PaymentRecord)
    /// A payment to this hash is pending: the backend must not be asked again.
    case inFlight(PaymentRecord)
    /// This hash was already paid successfully.
    case succeeded(PaymentRecord)
    /// The paying account cannot hold amount plus fee cap (or is frozen, or over a limit): nothing was stored.
    case refused(LedgerRefusal)
}

/// Outcome of ``StoreEngine/createAccount(_:)``.
public enum AccountInsertion: Sendable {
    /// Stored as new, with a zero balance.
    case created(AccountState)
    /// The id names an account created with the same parameters: that one.
    case existing(AccountState)
}

/// One database engine holding the daemon's durable state: SQLite (`SQLiteStore`) or PostgreSQL
/// (`PostgresStore`). Both keep the same schema (``StoreSchema``) and the same guarantees: every state change
/// and the event that reports it commit together, event indexes grow by one in commit order, one payment row
/// per hash.
///
/// The façade `Store` (module `Store`) measures every call and is what the daemon holds.
public protocol StoreEngine: Sendable {
    /// Which engine this is.
    var kind: StoreEngineKind { get }

    /// Runs the engine's background work (PostgreSQL: its connection pool, which pooled queries wait for) until
    /// the task is cancelled; returns at once when there is none (SQLite). Call it once.
    func serveConnections() async
    /// Closes the engine; later calls fail.
    func close() async throws(StoreError)
    /// The names of the schema versions applied, in order.
    func appliedMigrations() async throws(StoreError) -> [String]
    /// Whether the database answers and reports no corruption.
    func integrityCheck() async throws(StoreError) -> Bool
    /// Writes a consistent copy of the store to `path` (SQLite only; PostgreSQL is backed up with its own tools).
    func backup(to path: String) async throws(StoreError)

    /// Stores a new invoice; a used label returns the stored invoice with the same fingerprint, else throws
    /// `labelConflict`.
    func createInvoice(_ record: InvoiceRecord) async throws(StoreError) -> InvoiceInsertion
    /// The invoice with this payment hash.
    func invoice(paymentHash: PaymentHash) async throws(StoreError) -> InvoiceRecord?
    /// The invoice with this label.
    func invoice(label: String) async throws(StoreError) -> InvoiceRecord?
    /// Invoices newest first, optionally of one status and of one account (the account they credit).
    func invoices(status: InvoiceStatus?, account: String?, limit: Int, cursor: String?)
        async throws(StoreError) -> Page<InvoiceRecord>
    /// Marks an open or expired invoice paid with its event; `nil` when it was already paid or canceled.
    func markInvoicePaid(
        _ paymentHash: PaymentHash, amountReceived: MilliSatoshi, preimage: Preimage, paidAt: Int64,
        settleIndex: Int64?, event: @escaping @Sendable (InvoiceRecord) -> NewEvent
    ) async throws(StoreError) -> (InvoiceRecord, EventRecord)?
    /// Moves an open invoice to `expired` or `canceled` with its event; `nil` when it was not open.
    func closeInvoice(
        _ paymentHash: PaymentHash, as status: InvoiceStatus, event: @escaping @Sendable (InvoiceRecord) -> NewEvent
    ) async throws(StoreError) -> (InvoiceRecord, EventRecord)?
    /// Open invoices whose expiry is at or before `now`.
    func expiredOpenInvoices(now: Int64) async throws(StoreError) -> [PaymentHash]
    /// The earliest expiry among open invoices.
    func nextInvoiceExpiry() async throws(StoreError) -> Int64?

    /// Durably records the intent to pay and opens an attempt owned by the instance `owner`, or returns the
    /// payment already pending or succeeded. Concurrent calls for one hash, from any instance, start at most one.
    func beginPayment(_ record: PaymentRecord, owner: String) async throws(StoreError) -> PaymentStart
    /// Records the final outcome of a pending payment with its event; `nil` when it was not pending.
    func completePayment(
        _ paymentHash: PaymentHash, outcome: PaymentOutcome, at now: Int64,
        event: @escaping @Sendable (PaymentRecord) -> NewEvent
    ) async throws(StoreError) -> (PaymentRecord, EventRecord)?
    /// Settles an invoice of this daemon with the pending payment of one of its accounts, in one transaction:
    /// the payment succeeds with fee 0 and `preimage` (its hold released, its attempt closed), the invoice
    /// becomes `paid` for the payment's amount, one `internal` journal entry moves the amount from the paying
    /// account to the invoice's (with its `account.debited`/`account.credited` events), and `events` are
    /// appended. `nil` when the payment is not pending or the invoice
    /// is not open: nothing changes.
    func settleInternally(
        _ paymentHash: PaymentHash, preimage: Preimage, at now: Int64,
        events: @escaping @Sendable (InvoiceRecord, PaymentRecord) -> [NewEvent]
    ) async throws(StoreError) -> InternalSettlement?
    /// The payment to this hash.
    func payment(paymentHash: PaymentHash) async throws(StoreError) -> PaymentRecord?
    /// The payment whose `payment.send` carried this idempotency key.
    func payment(idempotencyKey: String) async throws(StoreError) -> PaymentRecord?
    /// The idempotency key `key` of `method`, as its first call stored it.
    func writeKey(method: String, key: String) async throws(StoreError) -> WriteKey?
    /// Stores an idempotency key on its own (for a write whose object is not a ``ProofChange``); a key already
    /// stored throws `idempotencyConflict`.
    func rememberWriteKey(_ writeKey: WriteKey) async throws(StoreError)
    /// Every pending payment, oldest first.
    func pendingPayments() async throws(StoreError) -> [PaymentRecord]
    /// How many backend attempts were made for this hash.
    func attemptCount(_ paymentHash: PaymentHash) async throws(StoreError) -> Int
    /// The instance owning the open attempt of this hash, when that instance sent a heartbeat at or after
    /// `aliveSince`; `nil` when the attempt has no live owner.
    func liveAttemptOwner(of paymentHash: PaymentHash, aliveSince: Int64) async throws(StoreError) -> String?
    /// Payments newest first, optionally of one status and of one account (the account that pays).
    func payments(status: PaymentStatus?, account: String?, limit: Int, cursor: String?)
        async throws(StoreError) -> Page<PaymentRecord>
    /// Money in and out, newest first, filtered, with the totals of the whole filtered range.
    func walletTransactions(_ filter: WalletTransactionFilter, limit: Int, cursor: String?)
        async throws(StoreError) -> WalletHistory

    /// Appends an event on its own.
    func appendEvent(_ event: NewEvent) async throws(StoreError) -> EventRecord
    /// Events with an index above `index`, oldest first, at most `limit`.
    func events(after index: Int64, limit: Int) async throws(StoreError) -> [EventRecord]
    /// The events of one account (those whose `data.account` names it: its invoices, payments, credits and
    /// debits) with an index above `index`, oldest first, at most `limit`.
    func events(after index: Int64, account: String, limit: Int) async throws(StoreError) -> [EventRecord]
    /// The index of the newest event (0 when the log is empty).
    func lastEventIndex() async throws(StoreError) -> Int64
    /// A stored position, such as the backend's last settle index.
    func cursor(_ name: String) async throws(StoreError) -> Int64?
    /// Stores a position; it only moves forward.
    func advanceCursor(_ name: String, to value: Int64) async throws(StoreError)
    /// Notes that the instance `instance` is alive at `at` (seconds since 1970).
    func recordHeartbeat(instance: String, at: Int64) async throws(StoreError)
    /// Claims the instance name `name` for this process, whose attempts and heartbeats are owned by `owner`
    /// (``InstanceOwner``): throws `instanceNameTaken` while another live process holds the name (PostgreSQL
    /// holds a session lock until this engine closes or its process dies), then forgets the heartbeats of
    /// earlier processes of this name, so this process resolves their open attempts at once.
    func claimInstanceName(_ name: String, owner: String) async throws(StoreError)
    /// The owners (``InstanceOwner``) whose last heartbeat is at or after `aliveSince`, sorted.
    func liveInstances(aliveSince: Int64) async throws(StoreError) -> [String]
    /// The wallet identity recorded under `name` (such as `seed`), recording `value` first when there is none.
    func walletIdentity(_ name: String, recordingIfAbsent value: String) async throws(StoreError) -> String

    /// Applies a proof change atomically (`doubleTransfer`, `staleProof` on conflict).
    func applyProofChange(_ change: ProofChange) async throws(StoreError) -> EventRecord?
    /// The stored proof with this id.
    func proof(id: String) async throws(StoreError) -> ProofRecord?
    /// Proofs newest first, filtered.
    func proofs(_ filter: ProofFilter, limit: Int, cursor: String?) async throws(StoreError) -> Page<ProofRecord>
    /// Every transition of a proof, in chain order.
    func proofTransitions(proofID: String) async throws(StoreError) -> [ProofTransitionRecord]
    /// Pending payment-bound transitions with the status of each binding invoice.
    func pendingPaymentTransitions() async throws(StoreError) -> [(ProofTransitionRecord, invoiceStatus: String?)]
    /// Stores the request of a two-step transfer.
    func saveSigningRequest(transitionID: String, proofID: String, request: String, at: Int64) async throws(StoreError)
    /// The stored request of a two-step transfer.
    func signingRequest(transitionID: String) async throws(StoreError) -> (proofID: String, request: String)?
    /// Remembers the daemon-held key of a platform account.
    func rememberAccountKey(pubkey: String, accountID: String) async throws(StoreError)
    /// The account whose daemon-held key is `pubkey`.
    func account(forKey pubkey: String) async throws(StoreError) -> String?
    /// Creates an account with a zero balance; an id in use returns the account when its fingerprint matches,
    /// else throws `accountConflict`.
    func createAccount(_ record: AccountRecord) async throws(StoreError) -> AccountInsertion
    /// The account `id` with its balance, holds and spending of the 24 hours before `now`.
    func account(id: String, now: Int64) async throws(StoreError) -> AccountState?
    /// Accounts in id order, optionally of one status and under an id prefix, with the `total` they number.
    func accounts(status: AccountStatus?, prefix: String?, limit: Int, cursor: String?, now: Int64)
        async throws(StoreError) -> Page<AccountState>
    /// Changes name, metadata, limits or status (`open`, `frozen`) of an account that is not closed; `nil` when
    /// no such account exists.
    func updateAccount(_ id: String, _ change: AccountChange, now: Int64) async throws(StoreError) -> AccountState?
    /// Closes an account with a zero balance, no holds and no open invoices (else throws `accountConflict`);
    /// `nil` when no such account exists. Closing a closed account returns it.
    func closeAccount(_ id: String, now: Int64) async throws(StoreError) -> AccountState?
    /// Moves `record.amount` from `record.from` to `record.to` as one journal entry with its `account.debited`
    /// and `account.credited` events, if the source can afford it within its limits (checked and debited
    /// atomically, across instances), and stores `key` with it. A key stored with the same fingerprint replays
    /// its transfer; with another, it throws `idempotencyConflict`.
    func transfer(_ record: TransferRecord, key: WriteKey) async throws(StoreError) -> TransferOutcome
    /// The transfer with this id.
    func transfer(id: String) async throws(StoreError) -> TransferRecord?
    /// One account's postings newest first, filtered, with the totals of the whole filtered range.
    func statement(account: String, filter: StatementFilter, limit: Int, cursor: String?)
        async throws(StoreError) -> AccountStatement
    /// Checks the journal: every entry sums to zero, every stored balance and held amount equals its postings
    /// and open holds, no account but system ones is below zero, no hold outlives its payment.
    func ledgerAudit() async throws(StoreError) -> LedgerAudit

    /// Counts invoices, payments and proofs by status.
    func statusCounts() async throws(StoreError) -> StatusCounts

    /// Runs `body` while this instance leads the task `name` among all instances sharing the database, retrying
    /// every `retryDelay` while another instance leads. Returns when `body` returns or the task is cancelled.
    /// SQLite serves one instance, which always leads.
    func whileLeading(_ name: String, retryDelay: Duration, _ body: @escaping @Sendable () async throws -> Void)
        async throws
    /// Calls `published` with the newest event index whenever another instance may have appended events, until
    /// cancelled. SQLite serves one instance: it returns at once.
    func followEvents(_ published: @escaping @Sendable (Int64) async -> Void) async throws

    /// Every row of `table` (one of ``StoreSchema/tables``) in its columns' order, in primary-key order.
    func rows(of table: StoreSchema.Table) async throws(StoreError) -> [[StoreValue]]
    /// Inserts rows into an empty `table`, in one transaction.
    func insert(_ rows: [[StoreValue]], into table: StoreSchema.Table) async throws(StoreError)
}

/// How many records are in each status, for the `t4gd_invoices`, `t4gd_payments` and `t4gd_proofs` gauges.
public struct StatusCounts: Sendable, Equatable {
    /// Invoices by status (`open`, `paid`, `expired`, `canceled`); statuses with none are absent.
    public var invoices: [String: Int64] = [:]
    /// Payments by status (`pending`, `succeeded`, `failed`).
    public var payments: [String: Int64] = [:]
    /// Proofs by status (`active`, `transfer_pending`, `incomplete`, `redeemed`, `revoked`).
    public var proofs: [String: Int64] = [:]

    /// Creates counts.
    public init(invoices: [String: Int64] = [:], payments: [String: Int64] = [:], proofs: [String: Int64] = [:]) {
        self.invoices = invoices
        self.payments = payments
        self.proofs = proofs
    }
}

/// One column value of a copied row.
public enum StoreValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
}
