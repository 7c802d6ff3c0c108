import CoreMetrics
import Lightning
import StoreModel

/// Wraps a store engine with a latency histogram and an error counter per operation
/// (`t4gd_store_operation_duration_seconds`, `t4gd_store_errors_total`, labelled `operation`), and follows
/// whether writes succeed (``writeFailure``), as `MeteredBackend` does for backends.
///
/// A class only so that ``Store`` can add its instance identity to the metered operations without forwarding
/// each again; it is `@unchecked Sendable` because a non-final class cannot be checked: every stored
/// property here and in ``Store`` is an immutable `let` of a `Sendable` type.
package class MeteredStoreEngine: StoreEngine, @unchecked Sendable {
    /// The engine that answers every call.
    package let base: any StoreEngine
    private let metrics: StoreMetrics
    private let writeHealth = StoreWriteHealth()

    /// Meters `base`, recording into `factory`.
    package init(_ base: any StoreEngine, factory: any MetricsFactory) {
        self.base = base
        metrics = StoreMetrics(factory: factory)
    }

    package var kind: StoreEngineKind { base.kind }

    /// Why the store's writes fail (disk full, I/O error, read-only file system): the last write's database
    /// failure, or `nil` once a write succeeded after it. Conflicts (a label taken, a stale proof) are answers,
    /// not failures, and do not count.
    package var writeFailure: String? { writeHealth.failure }

    /// Background work, not one operation: not timed.
    package func serveConnections() async {
        await base.serveConnections()
    }

    package func close() async throws(StoreError) {
        try await measure("close") { () throws(StoreError) in try await base.close() }
    }

    package func appliedMigrations() async throws(StoreError) -> [String] {
        try await measure("read migrations") { () throws(StoreError) in try await base.appliedMigrations() }
    }

    package func integrityCheck() async throws(StoreError) -> Bool {
        try await measure("integrity check") { () throws(StoreError) in try await base.integrityCheck() }
    }

    package func backup(to path: String) async throws(StoreError) {
        try await measure("backup") { () throws(StoreError) in try await base.backup(to: path) }
    }

    package func createInvoice(_ record: InvoiceRecord) async throws(StoreError) -> InvoiceInsertion {
        try await measure("create invoice", writes: true) { () throws(StoreError) in
            try await base.createInvoice(record)
        }
    }

    package func invoice(paymentHash: PaymentHash) async throws(StoreError) -> InvoiceRecord? {
        try await measure("read invoice") { () throws(StoreError) in try await base.invoice(paymentHash: paymentHash) }
    }

    package func invoice(label: String) async throws(StoreError) -> InvoiceRecord? {
        try await measure("read invoice") { () throws(StoreError) in try await base.invoice(label: label) }
    }

    package func invoices(status: InvoiceStatus?, account: String?, limit: Int, cursor: String?)
        async throws(StoreError) -> Page<InvoiceRecord>
    {
        try await measure("list invoices") { () throws(StoreError) in
            try await base.invoices(status: status, account: account, limit: limit, cursor: cursor)
        }
    }

    package func markInvoicePaid(
        _ paymentHash: PaymentHash, amountReceived: MilliSatoshi, preimage: Preimage, paidAt: Int64,
        settleIndex: Int64?, event: @escaping @Sendable (InvoiceRecord) -> NewEvent
    ) async throws(StoreError) -> (InvoiceRecord, EventRecord)? {
        try await measure("mark invoice paid", writes: true) { () throws(StoreError) in
            try await base.markInvoicePaid(
                paymentHash, amountReceived: amountReceived, preimage: preimage, paidAt: paidAt,
                settleIndex: settleIndex, event: event)
        }
    }

    package func closeInvoice(
        _ paymentHash: PaymentHash, as status: InvoiceStatus, event: @escaping @Sendable (InvoiceRecord) -> NewEvent
    ) async throws(StoreError) -> (InvoiceRecord, EventRecord)? {
        try await measure("close invoice", writes: true) { () throws(StoreError) in
            try await base.closeInvoice(paymentHash, as: status, event: event)
        }
    }

    package func expiredOpenInvoices(now: Int64) async throws(StoreError) -> [PaymentHash] {
        try await measure("find expired invoices") { () throws(StoreError) in
            try await base.expiredOpenInvoices(now: now)
        }
    }

    package func nextInvoiceExpiry() async throws(StoreError) -> Int64? {
        try await measure("find next expiry") { () throws(StoreError) in try await base.nextInvoiceExpiry() }
    }

    package func beginPayment(_ record: PaymentRecord, owner: String) async throws(StoreError) -> PaymentStart {
        try await measure("begin payment", writes: true) { () throws(StoreError) in
            try await base.beginPayment(record, owner: owner)
        }
    }

    package func completePayment(
        _ paymentHash: PaymentHash, outcome: PaymentOutcome, at now: Int64,
        event: @escaping @Sendable (PaymentRecord) -> NewEvent
    ) async throws(StoreError) -> (PaymentRecord, EventRecord)? {
        try await measure("complete payment", writes: true) { () throws(StoreError) in
            try await base.completePayment(paymentHash, outcome: outcome, at: now, event: event)
        }
    }

    package func settleInternally(
        _ paymentHash: PaymentHash, preimage: Preimage, at now: Int64,
        events: @escaping @Sendable (InvoiceRecord, PaymentRecord) -> [NewEvent]
    ) async throws(StoreError) -> InternalSettlement? {
        try await measure("settle internally", writes: true) { () throws(StoreError) in
            try await base.settleInternally(paymentHash, preimage: preimage, at: now, events: events)
        }
    }

    package func payment(paymentHash: PaymentHash) async throws(StoreError) -> PaymentRecord? {
        try await measure("read payment") { () throws(StoreError) in try await base.payment(paymentHash: paymentHash) }
    }

    package func payment(idempotencyKey: String) async throws(StoreError) -> PaymentRecord? {
        try await measure("read payment") { () throws(StoreError) in
            try await base.payment(idempotencyKey: idempotencyKey)
        }
    }

    package func writeKey(method: String, key: String) async throws(StoreError) -> WriteKey? {
        try await measure("read write key") { () throws(StoreError) in try await base.writeKey(method: method, key: key)
        }
    }

    package func rememberWriteKey(_ writeKey: WriteKey) async throws(StoreError) {
        try await measure("remember write key") { () throws(StoreError) in try await base.rememberWriteKey(writeKey) }
    }

    package func pendingPayments() async throws(StoreError) -> [PaymentRecord] {
        try await measure("read pending payments") { () throws(StoreError) in try await base.pendingPayments() }
    }

    package func attemptCount(_ paymentHash: PaymentHash) async throws(StoreError) -> Int {
        try await measure("count attempts") { () throws(StoreError) in try await base.attemptCount(paymentHash) }
    }

    package func liveAttemptOwner(of paymentHash: PaymentHash, aliveSince: Int64) async throws(StoreError) -> String? {
        try await measure("read attempt owner") { () throws(StoreError) in
            try await base.liveAttemptOwner(of: paymentHash, aliveSince: aliveSince)
        }
    }

    package func payments(status: PaymentStatus?, account: String?, limit: Int, cursor: String?)
        async throws(StoreError) -> Page<PaymentRecord>
    {
        try await measure("list payments") { () throws(StoreError) in
            try await base.payments(status: status, account: account, limit: limit, cursor: cursor)
        }
    }

    package func walletTransactions(_ filter: WalletTransactionFilter, limit: Int, cursor: String?)
        async throws(StoreError) -> WalletHistory
    {
        try await measure("list transactions") { () throws(StoreError) in
            try await base.walletTransactions(filter, limit: limit, cursor: cursor)
        }
    }

    package func appendEvent(_ event: NewEvent) async throws(StoreError) -> EventRecord {
        try await measure("append event", writes: true) { () throws(StoreError) in try await base.appendEvent(event) }
    }

    package func events(after index: Int64, limit: Int) async throws(StoreError) -> [EventRecord] {
        try await measure("read events") { () throws(StoreError) in try await base.events(after: index, limit: limit) }
    }

    package func events(after index: Int64, account: String, limit: Int) async throws(StoreError) -> [EventRecord] {
        try await measure("read events") { () throws(StoreError) in
            try await base.events(after: index, account: account, limit: limit)
        }
    }

    package func lastEventIndex() async throws(StoreError) -> Int64 {
        try await measure("read last event") { () throws(StoreError) in try await base.lastEventIndex() }
    }

    package func cursor(_ name: String) async throws(StoreError) -> Int64? {
        try await measure("read cursor") { () throws(StoreError) in try await base.cursor(name) }
    }

    package func advanceCursor(_ name: String, to value: Int64) async throws(StoreError) {
        try await measure("write cursor", writes: true) { () throws(StoreError) in
            try await base.advanceCursor(name, to: value)
        }
    }

    package func recordHeartbeat(instance: String, at: Int64) async throws(StoreError) {
        try await measure("record heartbeat", writes: true) { () throws(StoreError) in
            try await base.recordHeartbeat(instance: instance, at: at)
        }
    }

    package func claimInstanceName(_ name: String, owner: String) async throws(StoreError) {
        try await measure("claim instance name") { () throws(StoreError) in
            try await base.claimInstanceName(name, owner: owner)
        }
    }

    package func liveInstances(aliveSince: Int64) async throws(StoreError) -> [String] {
        try await measure("read live instances") { () throws(StoreError) in
            try await base.liveInstances(aliveSince: aliveSince)
        }
    }

    package func walletIdentity(_ name: String, recordingIfAbsent value: String) async throws(StoreError) -> String {
        try await measure("record wallet identity", writes: true) { () throws(StoreError) in
            try await base.walletIdentity(name, recordingIfAbsent: value)
        }
    }

    package func applyProofChange(_ change: ProofChange) async throws(StoreError) -> EventRecord? {
        try await measure("write proof", writes: true) { () throws(StoreError) in
            try await base.applyProofChange(change)
        }
    }

    package func proof(id: String) async throws(StoreError) -> ProofRecord? {
        try await measure("read proof") { () throws(StoreError) in try await base.proof(id: id) }
    }

    package func proofs(_ filter: ProofFilter, limit: Int, cursor: String?) async throws(StoreError) -> Page<
        ProofRecord
    > {
        try await measure("list proofs") { () throws(StoreError) in
            try await base.proofs(filter, limit: limit, cursor: cursor)
        }
    }

    package func proofTransitions(proofID: String) async throws(StoreError) -> [ProofTransitionRecord] {
        try await measure("read transitions") { () throws(StoreError) in
            try await base.proofTransitions(proofID: proofID)
        }
    }

    package func pendingPaymentTransitions() async throws(StoreError) -> [(
        ProofTransitionRecord, invoiceStatus: String?
    )] {
        try await measure("read pending transfers") { () throws(StoreError) in
            try await base.pendingPaymentTransitions()
        }
    }

    package func saveSigningRequest(transitionID: String, proofID: String, request: String, at: Int64)
        async throws(StoreError)
    {
        try await measure("save signing request", writes: true) { () throws(StoreError) in
            try await base.saveSigningRequest(transitionID: transitionID, proofID: proofID, request: request, at: at)
        }
    }

    package func signingRequest(transitionID: String) async throws(StoreError) -> (proofID: String, request: String)? {
        try await measure("read signing request") { () throws(StoreError) in
            try await base.signingRequest(transitionID: transitionID)
        }
    }

    package func rememberAccountKey(pubkey: String, accountID: String) async throws(StoreError) {
        try await measure("remember account key", writes: true) { () throws(StoreError) in
            try await base.rememberAccountKey(pubkey: pubkey, accountID: accountID)
        }
    }

    package func account(forKey pubkey: String) async throws(StoreError) -> String? {
        try await measure("read account key") { () throws(StoreError) in try await base.account(forKey: pubkey) }
    }

    package func statusCounts() async throws(StoreError) -> StatusCounts {
        try await measure("count by status") { () throws(StoreError) in try await base.statusCounts() }
    }

    /// Runs as long as `body` (or until another instance leads): not one operation, so not timed.
    package func whileLeading(
        _ name: String, retryDelay: Duration, _ body: @escaping @Sendable () async throws -> Void
    ) async throws {
        try await base.whileLeading(name, retryDelay: retryDelay, body)
    }

    /// Runs until cancelled: not one operation, so not timed.
    package func followEvents(_ published: @escaping @Sendable (Int64) async -> Void) async throws {
        try await base.followEvents(published)
    }

    package func rows(of table: StoreSchema.Table) async throws(StoreError) -> [[StoreValue]] {
        try await measure("read table") { () throws(StoreError) in try await base.rows(of: table) }
    }

    package func insert(_ rows: [[StoreValue]], into table: StoreSchema.Table) async throws(StoreError) {
        try await measure("insert rows", writes: true) { () throws(StoreError) in
            try await base.insert(rows, into: table)
        }
    }

    package func createAccount(_ record: AccountRecord) async throws(StoreError) -> AccountInsertion {
        try await measure("create account", writes: true) { () throws(StoreError) in
            try await base.createAccount(record)
        }
    }

    package func account(id: String, now: Int64) async throws(StoreError) -> AccountState? {
        try await measure("read account") { () throws(StoreError) in try await base.account(id: id, now: now) }
    }

    package func accounts(status: AccountStatus?, prefix: String?, limit: Int, cursor: String?, now: Int64)
        async throws(StoreError) -> Page<AccountState>
    {
        try await measure("list accounts") { () throws(StoreError) in
            try await base.accounts(status: status, prefix: prefix, limit: limit, cursor: cursor, now: now)
        }
    }

    package func updateAccount(_ id: String, _ change: AccountChange, now: Int64) async throws(StoreError)
        -> AccountState?
    {
        try await measure("update account", writes: true) { () throws(StoreError) in
            try await base.updateAccount(id, change, now: now)
        }
    }

    package func closeAccount(_ id: String, now: Int64) async throws(StoreError) -> AccountState? {
        try await measure("close account", writes: true) { () throws(StoreError) in
            try await base.closeAccount(id, now: now)
        }
    }

    package func transfer(_ record: TransferRecord, key: WriteKey) async throws(StoreError) -> TransferOutcome {
        try await measure("transfer", writes: true) { () throws(StoreError) in
            try await base.transfer(record, key: key)
        }
    }

    package func transfer(id: String) async throws(StoreError) -> TransferRecord? {
        try await measure("read transfer") { () throws(StoreError) in try await base.transfer(id: id) }
    }

    package func statement(account: String, filter: StatementFilter, limit: Int, cursor: String?)
        async throws(StoreError) -> AccountStatement
    {
        try await measure("read statement") { () throws(StoreError) in
            try await base.statement(account: account, filter: filter, limit: limit, cursor: cursor)
        }
    }

    package func ledgerAudit() async throws(StoreError) -> LedgerAudit {
        try await measure("audit ledger") { () throws(StoreError) in try await base.ledgerAudit() }
    }

    /// Runs one call of ``base``, recording its latency and failure under `operation`; a call that `writes` also
    /// tells ``writeFailure`` whether the store can still be written.
    private func measure<T>(
        _ operation: String, writes: Bool = false, _ body: () async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let start = ContinuousClock.now
        var failed = true
        defer { metrics.record(operation, since: start, failed: failed) }
        let result: T
        do {
            result = try await body()
        } catch {
            if writes { writeHealth.failed(operation, error) }
            throw error
        }
        if writes { writeHealth.succeeded() }
        failed = false
        return result
    }
}
