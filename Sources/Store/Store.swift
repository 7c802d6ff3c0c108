import CoreMetrics
import Lightning
import Logging
import PostgresStore
import SQLiteStore
@_exported import StoreModel

/// The daemon's durable state: invoices, payments and their attempts, the event log, cursors, proofs — in SQLite
/// (one instance, the default) or PostgreSQL (several instances sharing one database), chosen by
/// ``Configuration/location``.
///
/// Every call goes to the engine (``StoreEngine``) and is measured (`t4gd_store_*`). Every state change and
/// the event that reports it commit together.
public final class Store: Sendable {
    /// How the store is opened.
    public struct Configuration: Sendable {
        /// Where the store lives.
        public var location: StoreLocation
        /// SQLite: `true` fsyncs on every commit (survives power loss); `false` uses WAL `synchronous=NORMAL`.
        public var fullSync: Bool
        /// PostgreSQL `verify-full` (refused with another `sslmode`): the CA certificates (PEM) the server's
        /// certificate must chain to.
        public var caFile: String?
        /// This daemon instance's stable name: it owns the payment attempts it starts.
        public var instance: String
        /// Receives the latency and failures of every operation (`t4gd_store_*`).
        public var metricsFactory: any MetricsFactory
        /// Where the PostgreSQL client logs its background events.
        public var logger: Logger

        /// Creates a configuration.
        public init(
            location: StoreLocation, fullSync: Bool = true, caFile: String? = nil, instance: String = "local",
            metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance,
            logger: Logger = Logger(label: "t4gd.store")
        ) {
            self.location = location
            self.fullSync = fullSync
            self.caFile = caFile
            self.instance = instance
            self.metricsFactory = metricsFactory
            self.logger = logger
        }

        /// A SQLite store at `path`.
        public init(
            path: String, fullSync: Bool = true, metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance
        ) {
            self.init(location: .sqlite(path: path), fullSync: fullSync, metricsFactory: metricsFactory)
        }
    }

    /// Outcome of ``beginPayment(_:)``.
    public typealias PaymentStart = StoreModel.PaymentStart
    /// Outcome of ``createInvoice(_:)``.
    public typealias InvoiceInsertion = StoreModel.InvoiceInsertion

    /// The engine behind the store.
    public let engine: any StoreEngine
    /// This instance's name (``Configuration/instance``).
    public let instance: String
    /// This process: the instance name and a start id of its own. It owns the attempts this process starts
    /// and its heartbeats.
    public let owner: InstanceOwner
    private let metrics: StoreMetrics
    private let writeHealth = StoreWriteHealth()

    /// Opens (creating if needed) and migrates the store.
    public init(configuration: Configuration) async throws(StoreError) {
        metrics = StoreMetrics(factory: configuration.metricsFactory)
        instance = configuration.instance
        owner = InstanceOwner(name: configuration.instance)
        switch configuration.location {
        case .sqlite(let path):
            engine = try await SQLiteStore.open(configuration: .init(path: path, fullSync: configuration.fullSync))
        case .postgres(let address):
            engine = try await PostgresStore(
                configuration: .init(address: address, caFile: configuration.caFile), logger: configuration.logger)
        }
    }

    /// Which engine holds the store.
    public var kind: StoreEngineKind { engine.kind }

    /// Opens the SQLite store copy at `path` without migrating it and checks it: integrity, newest event,
    /// migrations.
    public static func inspectCopy(at path: String) throws(StoreError) -> StoreCopySummary {
        try SQLiteStore.inspectCopy(at: path)
    }

    /// Runs one engine call, recording its latency and failure under `operation`; a call that `writes` also
    /// tells ``writeFailure`` whether the store can still be written.
    public func measure<T>(
        _ operation: String, writes: Bool = false, _ body: (any StoreEngine) async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let start = ContinuousClock.now
        var failed = true
        defer { metrics.record(operation, since: start, failed: failed) }
        let result: T
        do {
            result = try await body(engine)
        } catch {
            if writes { writeHealth.failed(operation, error) }
            throw error
        }
        if writes { writeHealth.succeeded() }
        failed = false
        return result
    }

    /// Why the store's writes fail (disk full, I/O error, read-only file system): the last write's database
    /// failure, or `nil` once a write succeeded after it. Conflicts (a label taken, a stale proof) are answers,
    /// not failures, and do not count.
    public var writeFailure: String? { writeHealth.failure }

    /// Writes a probe (the cursor `health.write_probe` advanced to `value`, e.g. the time), so that a store
    /// whose writes failed is seen to recover even when nothing else writes; updates ``writeFailure``.
    public func probeWrite(_ value: Int64) async throws(StoreError) {
        try await advanceCursor("health.write_probe", to: value)
    }
}

extension Store {
    /// Runs `body` while this instance leads the task `name` among the instances sharing the store (always, on
    /// SQLite); see ``StoreEngine/whileLeading(_:retryDelay:_:)``.
    public func whileLeading(
        _ name: String, retryDelay: Duration, _ body: @escaping @Sendable () async throws -> Void
    ) async throws {
        try await engine.whileLeading(name, retryDelay: retryDelay, body)
    }

    /// Calls `published` with the newest event index whenever another instance may have appended events, until
    /// cancelled (returns at once on SQLite).
    public func followEvents(_ published: @escaping @Sendable (Int64) async -> Void) async throws {
        try await engine.followEvents(published)
    }
}
