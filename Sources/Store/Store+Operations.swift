import Lightning
import StoreModel

extension Store {
    /// Closes the store; later calls fail.
    public func close() async throws(StoreError) {
        try await measure("close") { engine throws(StoreError) in try await engine.close() }
    }

    /// The schema versions applied, in order.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await measure("read migrations") { engine throws(StoreError) in try await engine.appliedMigrations() }
    }

    /// Whether the database answers and reports no corruption.
    public func integrityCheck() async throws(StoreError) -> Bool {
        try await measure("integrity check") { engine throws(StoreError) in try await engine.integrityCheck() }
    }

    /// Writes a consistent copy of a SQLite store to `path` while the daemon keeps serving.
    public func backup(to path: String) async throws(StoreError) {
        try await measure("backup") { engine throws(StoreError) in try await engine.backup(to: path) }
    }

    /// Stores a new invoice; a used label returns the invoice stored with the same fingerprint, else throws `labelConflict`.
    public func createInvoice(_ record: InvoiceRecord) async throws(StoreError) -> InvoiceInsertion {
        try await measure("create invoice", writes: true) { engine throws(StoreError) in
            try await engine.createInvoice(record)
        }
    }

    /// The invoice with this key.
    public func invoice(paymentHash: PaymentHash) async throws(StoreError) -> InvoiceRecord? {
        try await measure("read invoice") { engine throws(StoreError) in
            try await engine.invoice(paymentHash: paymentHash)
        }
    }

    /// The invoice with this key.
    public func invoice(label: String) async throws(StoreError) -> InvoiceRecord? {
        try await measure("read invoice") { engine throws(StoreError) in try await engine.invoice(label: label) }
    }

    /// Invoices newest first, optionally of one status; `cursor` comes from the previous page.
    public func invoices(status: InvoiceStatus?, limit: Int, cursor: String?) async throws(StoreError) -> Page<
        InvoiceRecord
    > {
        try await measure("list invoices") { engine throws(StoreError) in
            try await engine.invoices(status: status, limit: limit, cursor: cursor)
        }
    }

    /// Marks an open (or late-settled expired) invoice paid with `event`; `nil` when it was already paid or canceled.
    public func markInvoicePaid(
        _ paymentHash: PaymentHash, amountReceived: MilliSatoshi, preimage: Preimage, paidAt: Int64,
        settleIndex: Int64?, event: @escaping @Sendable (InvoiceRecord) -> NewEvent
    ) async throws(StoreError) -> (InvoiceRecord, EventRecord)? {
        try await measure("mark invoice paid", writes: true) { engine throws(StoreError) in
            try await engine.markInvoicePaid(
                paymentHash, amountReceived: amountReceived, preimage: preimage, paidAt: paidAt,
                settleIndex: settleIndex, event: event)
        }
    }

    /// Moves an open invoice to `expired` or `canceled` with its event; `nil` when it was not open.
    public func closeInvoice(
        _ paymentHash: PaymentHash, as status: InvoiceStatus, event: @escaping @Sendable (InvoiceRecord) -> NewEvent
    ) async throws(StoreError) -> (InvoiceRecord, EventRecord)? {
        try await measure("close invoice", writes: true) { engine throws(StoreError) in
            try await engine.closeInvoice(paymentHash, as: status, event: event)
        }
    }

    /// Open invoices whose expiry is at or before `now`.
    public func expiredOpenInvoices(now: Int64) async throws(StoreError) -> [PaymentHash] {
        try await measure("find expired invoices") { engine throws(StoreError) in
            try await engine.expiredOpenInvoices(now: now)
        }
    }

    /// The earliest expiry among open invoices.
    public func nextInvoiceExpiry() async throws(StoreError) -> Int64? {
        try await measure("find next expiry") { engine throws(StoreError) in try await engine.nextInvoiceExpiry() }
    }

    /// Durably records the intent to pay before any backend call, owned by this process (``owner``; see
    /// ``StoreEngine/beginPayment(_:owner:)``).
    public func beginPayment(_ record: PaymentRecord) async throws(StoreError) -> PaymentStart {
        try await measure("begin payment", writes: true) { engine throws(StoreError) in
            try await engine.beginPayment(record, owner: owner.description)
        }
    }

    /// Records the final outcome of a pending payment with its event; `nil` when it was not pending.
    public func completePayment(
        _ paymentHash: PaymentHash, outcome: PaymentOutcome, at now: Int64,
        event: @escaping @Sendable (PaymentRecord) -> NewEvent
    ) async throws(StoreError) -> (PaymentRecord, EventRecord)? {
        try await measure("complete payment", writes: true) { engine throws(StoreError) in
            try await engine.completePayment(paymentHash, outcome: outcome, at: now, event: event)
        }
    }

    /// The payment to this hash.
    public func payment(paymentHash: PaymentHash) async throws(StoreError) -> PaymentRecord? {
        try await measure("read payment") { engine throws(StoreError) in
            try await engine.payment(paymentHash: paymentHash)
        }
    }

    /// The payment whose `payment.send` carried this idempotency key.
    public func payment(idempotencyKey: String) async throws(StoreError) -> PaymentRecord? {
        try await measure("read payment") { engine throws(StoreError) in
            try await engine.payment(idempotencyKey: idempotencyKey)
        }
    }

    /// The idempotency key `key` of `method`, as its first call stored it.
    public func writeKey(method: String, key: String) async throws(StoreError) -> WriteKey? {
        try await measure("read write key") { engine throws(StoreError) in
            try await engine.writeKey(method: method, key: key)
        }
    }

    /// Stores an idempotency key on its own; a key already stored throws `idempotencyConflict`.
    public func rememberWriteKey(_ writeKey: WriteKey) async throws(StoreError) {
        try await measure("remember write key") { engine throws(StoreError) in
            try await engine.rememberWriteKey(writeKey)
        }
    }

    /// Every payment still pending, oldest first.
    public func pendingPayments() async throws(StoreError) -> [PaymentRecord] {
        try await measure("read pending payments") { engine throws(StoreError) in try await engine.pendingPayments() }
    }

    /// How many backend attempts were made for this hash.
    public func attemptCount(_ paymentHash: PaymentHash) async throws(StoreError) -> Int {
        try await measure("count attempts") { engine throws(StoreError) in try await engine.attemptCount(paymentHash) }
    }

    /// The instance owning the open attempt of this hash when it sent a heartbeat at or after `aliveSince`.
    public func liveAttemptOwner(of paymentHash: PaymentHash, aliveSince: Int64) async throws(StoreError) -> String? {
        try await measure("read attempt owner") { engine throws(StoreError) in
            try await engine.liveAttemptOwner(of: paymentHash, aliveSince: aliveSince)
        }
    }

    /// Payments newest first, optionally of one status.
    public func payments(status: PaymentStatus?, limit: Int, cursor: String?) async throws(StoreError) -> Page<
        PaymentRecord
    > {
        try await measure("list payments") { engine throws(StoreError) in
            try await engine.payments(status: status, limit: limit, cursor: cursor)
        }
    }

    /// Money in (paid invoices) and out (pending and succeeded payments), newest first, filtered, with the totals
    /// of the whole filtered range.
    public func walletTransactions(_ filter: WalletTransactionFilter, limit: Int, cursor: String?)
        async throws(StoreError) -> WalletHistory
    {
        try await measure("list transactions") { engine throws(StoreError) in
            try await engine.walletTransactions(filter, limit: limit, cursor: cursor)
        }
    }

    /// Appends an event on its own (for events not tied to a table change).
    public func appendEvent(_ event: NewEvent) async throws(StoreError) -> EventRecord {
        try await measure("append event", writes: true) { engine throws(StoreError) in
            try await engine.appendEvent(event)
        }
    }

    /// Events with an index above `index`, oldest first, at most `limit`.
    public func events(after index: Int64, limit: Int) async throws(StoreError) -> [EventRecord] {
        try await measure("read events") { engine throws(StoreError) in
            try await engine.events(after: index, limit: limit)
        }
    }

    /// The index of the newest event (0 when the log is empty).
    public func lastEventIndex() async throws(StoreError) -> Int64 {
        try await measure("read last event") { engine throws(StoreError) in try await engine.lastEventIndex() }
    }

    /// A stored position, such as the backend's last settle index.
    public func cursor(_ name: String) async throws(StoreError) -> Int64? {
        try await measure("read cursor") { engine throws(StoreError) in try await engine.cursor(name) }
    }

    /// Stores a position; it only moves forward.
    public func advanceCursor(_ name: String, to value: Int64) async throws(StoreError) {
        try await measure("write cursor", writes: true) { engine throws(StoreError) in
            try await engine.advanceCursor(name, to: value)
        }
    }

    /// Notes that this process (``owner``) is alive at `at` (seconds since 1970).
    public func recordHeartbeat(at: Int64) async throws(StoreError) {
        try await measure("record heartbeat", writes: true) { engine throws(StoreError) in
            try await engine.recordHeartbeat(instance: owner.description, at: at)
        }
    }

    /// Claims this instance's name for this process: `instanceNameTaken` while another live process holds it
    /// (see ``StoreEngine/claimInstanceName(_:owner:)``).
    public func claimInstanceName() async throws(StoreError) {
        try await measure("claim instance name") { engine throws(StoreError) in
            try await engine.claimInstanceName(instance, owner: owner.description)
        }
    }

    /// The owners (``InstanceOwner``) that sent a heartbeat at or after `aliveSince`, sorted.
    public func liveInstances(aliveSince: Int64) async throws(StoreError) -> [String] {
        try await measure("read live instances") { engine throws(StoreError) in
            try await engine.liveInstances(aliveSince: aliveSince)
        }
    }

    /// The wallet identity recorded under `name`, recording `value` first when there is none.
    public func walletIdentity(_ name: String, recordingIfAbsent value: String) async throws(StoreError) -> String {
        try await measure("record wallet identity", writes: true) { engine throws(StoreError) in
            try await engine.walletIdentity(name, recordingIfAbsent: value)
        }
    }

    /// Applies a ``ProofChange`` atomically (`doubleTransfer`, `staleProof` on conflict).
    public func applyProofChange(_ change: ProofChange) async throws(StoreError) -> EventRecord? {
        try await measure("write proof", writes: true) { engine throws(StoreError) in
            try await engine.applyProofChange(change)
        }
    }

    /// The stored proof with this id.
    public func proof(id: String) async throws(StoreError) -> ProofRecord? {
        try await measure("read proof") { engine throws(StoreError) in try await engine.proof(id: id) }
    }

    /// Proofs newest first, filtered by owner key, kind and status.
    public func proofs(_ filter: ProofFilter, limit: Int, cursor: String?) async throws(StoreError)
        -> Page<ProofRecord>
    {
        try await measure("list proofs") { engine throws(StoreError) in
            try await engine.proofs(filter, limit: limit, cursor: cursor)
        }
    }

    /// Every transition of a proof, in chain order.
    public func proofTransitions(proofID: String) async throws(StoreError) -> [ProofTransitionRecord] {
        try await measure("read transitions") { engine throws(StoreError) in
            try await engine.proofTransitions(proofID: proofID)
        }
    }

    /// Pending payment-bound transitions, with the status of the invoice that binds each.
    public func pendingPaymentTransitions() async throws(StoreError) -> [(
        ProofTransitionRecord, invoiceStatus: String?
    )] {
        try await measure("read pending transfers") { engine throws(StoreError) in
            try await engine.pendingPaymentTransitions()
        }
    }

    /// Stores the request of a two-step transfer under its transition id.
    public func saveSigningRequest(transitionID: String, proofID: String, request: String, at: Int64)
        async throws(StoreError)
    {
        try await measure("save signing request", writes: true) { engine throws(StoreError) in
            try await engine.saveSigningRequest(transitionID: transitionID, proofID: proofID, request: request, at: at)
        }
    }

    /// The stored request of a two-step transfer.
    public func signingRequest(transitionID: String) async throws(StoreError) -> (proofID: String, request: String)? {
        try await measure("read signing request") { engine throws(StoreError) in
            try await engine.signingRequest(transitionID: transitionID)
        }
    }

    /// Remembers that the x-only key `pubkey` is the daemon-held key of platform account `accountID`.
    public func rememberAccountKey(pubkey: String, accountID: String) async throws(StoreError) {
        try await measure("remember account key", writes: true) { engine throws(StoreError) in
            try await engine.rememberAccountKey(pubkey: pubkey, accountID: accountID)
        }
    }

    /// The account whose daemon-held key is `pubkey`, if any.
    public func account(forKey pubkey: String) async throws(StoreError) -> String? {
        try await measure("read account key") { engine throws(StoreError) in try await engine.account(forKey: pubkey) }
    }

    /// Counts invoices, payments and proofs by status.
    public func statusCounts() async throws(StoreError) -> StatusCounts {
        try await measure("count by status") { engine throws(StoreError) in try await engine.statusCounts() }
    }
}
