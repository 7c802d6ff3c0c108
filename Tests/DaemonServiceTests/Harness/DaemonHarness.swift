import JSONRPC
import Lightning
import Logging
import Proofs
import Secp256k1
import Store
import TestSupport
import Testing

@testable import RPCMethods
@testable import Wallet

/// The daemon's domain services in this process, wired as `T4GDaemon.run` wires them, over a SQLite store in a
/// temporary directory and a ``ScriptedBackend``, with a ``TestClock`` as `now`: payments, invoices, proofs and
/// reconciliation tested in milliseconds, without a process, a socket or a real clock (only `timeout_s` waits in
/// real time, as the daemon measures it).
///
/// Background services do not run: a test calls what they would (``reconcileAtStart()``, `invoices.expireDue()`,
/// `invoices.settle(_:)`) when it wants them to run.
struct DaemonHarness: Sendable {
    let clock: TestClock
    let backend: ScriptedBackend
    let store: Store
    let events: EventBus
    let invoices: InvoiceBook
    let payments: PaymentSender
    let proofs: ProofBook
    let reconciler: PaymentReconciler
    let directory: TemporaryDirectory
    private let seed: [UInt8]

    /// The services over the store in `directory`, opened and claimed as a starting daemon claims it.
    private init(
        directory: TemporaryDirectory, clock: TestClock, backend: ScriptedBackend, seed: [UInt8]
    ) async throws {
        let logger = Logger(label: "t4gd.harness")
        let now: @Sendable () -> Int64 = { clock.now }
        let store = try await Store(
            configuration: .init(location: .sqlite(path: directory.file("t4gd.sqlite")), fullSync: false))
        try await store.claimInstanceName()
        try await store.recordHeartbeat(at: now())
        let events = EventBus(latestIndex: try await store.lastEventIndex())
        let gate = PaymentGate()
        let invoices = InvoiceBook(store: store, backend: backend, events: events, rates: nil, now: now, logger: logger)
        let payments = PaymentSender(
            store: store, backend: backend, events: events, network: backend.network,
            nodePubkey: backend.nodeKey.publicKey.compressed.hex, gate: gate, rates: nil, now: now, logger: logger)
        let keys = try KeyDerivation(seed: seed)
        let identity = keys.identityKey()
        self.directory = directory
        self.clock = clock
        self.backend = backend
        self.seed = seed
        self.store = store
        self.events = events
        self.invoices = invoices
        self.payments = payments
        proofs = ProofBook(
            store: store, keys: keys, identity: identity, network: .regtest,
            trustedIssuers: [identity.xOnlyPublicKey], invoices: invoices, events: events, now: now, logger: logger)
        reconciler = PaymentReconciler(
            store: store, backend: backend, sender: payments, gate: gate, now: now, interval: .seconds(3_600),
            logger: logger)
    }

    /// Runs `body` with fresh services on regtest (the start-up reconciliation done, payments accepted), then
    /// closes the store and removes its directory.
    static func run<T>(_ body: (DaemonHarness) async throws -> T) async throws -> T {
        let directory = TemporaryDirectory()
        let clock = TestClock()
        let harness = try await DaemonHarness(
            directory: directory, clock: clock, backend: ScriptedBackend(network: .regtest, now: { clock.now }),
            seed: SecureRandom.bytes(count: 32))
        return try await withCleanup {
            try #require(await harness.reconcileAtStart())
            return try await body(harness)
        } finally: {
            try? await harness.store.close()
            directory.remove()
        }
    }

    /// Runs `body` with the daemon as it is after a crash and a start: this harness's store is closed without any
    /// further write, and new services open it with the same backend, clock and seed (the start-up reconciliation
    /// is left to `body`); their store is closed after `body`.
    func restarted<T>(_ body: (DaemonHarness) async throws -> T) async throws -> T {
        try await store.close()
        let restarted = try await DaemonHarness(directory: directory, clock: clock, backend: backend, seed: seed)
        return try await withCleanup {
            try await body(restarted)
        } finally: {
            try? await restarted.store.close()
        }
    }

    /// What the reconciler does when a daemon starts: one pass over the pending payments, then payments are
    /// accepted once the backend answered for all of them. `true` when it did.
    func reconcileAtStart() async -> Bool {
        guard await reconciler.reconcileOnce() else { return false }
        await reconciler.gate.acceptPayments()
        return true
    }

    /// A payment request as `payment.send` makes it from its params.
    static func send(
        _ bolt11: String, amount: MilliSatoshi? = nil, timeoutSeconds: Int64 = 60, idempotencyKey: String? = nil,
        account: String = AccountRecord.treasury
    ) -> PaymentSender.SendRequest {
        PaymentSender.SendRequest(
            bolt11: bolt11, amount: amount, fiat: nil, maxFee: nil, timeoutSeconds: timeoutSeconds,
            idempotencyKey: idempotencyKey, account: account)
    }

    /// An invoice request as `invoice.create` makes it from its params.
    static func invoice(
        amount: MilliSatoshi?, description: String = "harness", expirySeconds: Int64 = 3_600, label: String? = nil,
        account: String = AccountRecord.treasury
    ) -> InvoiceBook.CreateRequest {
        InvoiceBook.CreateRequest(
            amount: amount, fiat: nil, description: description, descriptionHash: nil, expirySeconds: expirySeconds,
            label: label, metadata: nil, account: account)
    }

    /// The wire error `body` fails with, as the RPC boundary maps it; `nil` when it does not fail.
    static func wireError(_ body: () async throws -> some Sendable) async -> RPCError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return DaemonRPCService.rpcError(error, logger: Logger(label: "t4gd.harness"), method: "harness")
        }
    }

    /// The types of the stored events after `index`, in order.
    func eventTypes(after index: Int64 = 0) async throws -> [String] {
        try await store.events(after: index, limit: 1_000).map(\.type)
    }
}
