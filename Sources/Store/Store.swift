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
/// Every operation is a metered call of the engine (``MeteredStoreEngine``, `t4gd_store_*`); the store adds this
/// process's identity (``instance``, ``owner``) to the calls that need it. Every state change and the event that
/// reports it commit together.
package final class Store: MeteredStoreEngine, @unchecked Sendable {
    /// How the store is opened.
    package struct Configuration: Sendable {
        /// Where the store lives.
        package var location: StoreLocation
        /// SQLite: `true` fsyncs on every commit (survives power loss); `false` uses WAL `synchronous=NORMAL`.
        package var fullSync: Bool
        /// PostgreSQL `verify-full` (refused with another `sslmode`): the CA certificates (PEM) the server's
        /// certificate must chain to.
        package var caFile: String?
        /// This daemon instance's stable name: it owns the payment attempts it starts.
        package var instance: String
        /// Receives the latency and failures of every operation (`t4gd_store_*`).
        package var metricsFactory: any MetricsFactory
        /// Where the PostgreSQL client logs its background events.
        package var logger: Logger
        /// `true` (the daemon): the engine's background work (PostgreSQL's connection pool) runs in ``run()``, the
        /// store being a service of the daemon's group; `false` (tools and tests, which have no service group): it
        /// runs in a task of the store's own until ``close()``.
        package var runsInServiceGroup: Bool

        /// Creates a configuration.
        package init(
            location: StoreLocation, fullSync: Bool = true, caFile: String? = nil, instance: String = "local",
            metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance,
            logger: Logger = Logger(label: "t4gd.store"), runsInServiceGroup: Bool = false
        ) {
            self.location = location
            self.fullSync = fullSync
            self.caFile = caFile
            self.instance = instance
            self.metricsFactory = metricsFactory
            self.logger = logger
            self.runsInServiceGroup = runsInServiceGroup
        }

        /// A SQLite store at `path`.
        package init(
            path: String, fullSync: Bool = true, metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance
        ) {
            self.init(location: .sqlite(path: path), fullSync: fullSync, metricsFactory: metricsFactory)
        }
    }

    /// This instance's name (``Configuration/instance``).
    package let instance: String
    /// This process: the instance name and a start id of its own. It owns the attempts this process starts
    /// and its heartbeats.
    package let owner: InstanceOwner
    /// The engine's background work when the store runs it itself (``Configuration/runsInServiceGroup`` is
    /// `false`), cancelled by ``close()``; `nil` when ``run()`` serves it.
    let ownBackgroundWork: Task<Void, Never>?

    /// Opens (creating if needed) and migrates the store.
    package init(configuration: Configuration) async throws(StoreError) {
        instance = configuration.instance
        owner = InstanceOwner(name: configuration.instance)
        let engine: any StoreEngine
        switch configuration.location {
        case .sqlite(let path):
            engine = try await SQLiteStore.open(configuration: .init(path: path, fullSync: configuration.fullSync))
        case .postgres(let address):
            engine = try await PostgresStore(
                configuration: .init(address: address, caFile: configuration.caFile), logger: configuration.logger)
        }
        ownBackgroundWork = configuration.runsInServiceGroup ? nil : Task { await engine.serveConnections() }
        super.init(engine, factory: configuration.metricsFactory)
    }

    /// Closes the store (see ``StoreEngine/close()``), then ends the background work it runs itself and waits
    /// for it: on PostgreSQL the pool's connections and the event sequencer's are closed when this returns (the
    /// server frees the sequencer's lock once its process has seen that connection close), so no connection
    /// outlives the store and a store reopened on the database (a test's restart) does not meet a sequencer
    /// still running.
    package override func close() async throws(StoreError) {
        defer { ownBackgroundWork?.cancel() }
        try await super.close()
        ownBackgroundWork?.cancel()
        await ownBackgroundWork?.value
    }

    /// Opens the SQLite store copy at `path` without migrating it and checks it: integrity, newest event,
    /// migrations.
    package static func inspectCopy(at path: String) throws(StoreError) -> StoreCopySummary {
        try SQLiteStore.inspectCopy(at: path)
    }

    /// Durably records the intent to pay before any backend call, owned by this process (``owner``; see
    /// ``StoreEngine/beginPayment(_:owner:)``).
    package func beginPayment(_ record: PaymentRecord) async throws(StoreError) -> PaymentStart {
        try await beginPayment(record, owner: owner.description)
    }

    /// Notes that this process (``owner``) is alive at `at` (seconds since 1970).
    package func recordHeartbeat(at: Int64) async throws(StoreError) {
        try await recordHeartbeat(instance: owner.description, at: at)
    }

    /// Claims this instance's name for this process: `instanceNameTaken` while another live process holds it
    /// (see ``StoreEngine/claimInstanceName(_:owner:)``).
    package func claimInstanceName() async throws(StoreError) {
        try await claimInstanceName(instance, owner: owner.description)
    }

    /// Writes a probe (the cursor `health.write_probe` advanced to `value`, e.g. the time), so that a store
    /// whose writes failed is seen to recover even when nothing else writes; updates ``writeFailure``.
    package func probeWrite(_ value: Int64) async throws(StoreError) {
        try await advanceCursor("health.write_probe", to: value)
    }
}
