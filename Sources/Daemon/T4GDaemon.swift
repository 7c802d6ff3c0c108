import DaemonConfig
import DevBackend
import Foundation
import LNDBackend
import LNbitsBackend
import Lightning
import Logging
import Operations
import Proofs
import RPCMethods
import RPCServer
import Rates
import Secp256k1
import ServiceLifecycle
import Store
import Synchronization
import Wallet

/// A whole t4gd: store, backend, background services and the RPC socket, run as one service group.
///
/// Service order encodes dependencies: the reconciler, settlement watcher and expirer start first; the RPC
/// server is last, so it is the first to stop on SIGTERM/SIGINT or `daemon.stop` (stop accepting, finish
/// in-flight requests), then the background services end and the store is closed.
package struct T4GDaemon: Sendable {
    let configuration: DaemonConfiguration
    let logger: Logger
    let metrics: DaemonMetrics

    /// How often the store and the backend are measured for `daemon.health` and `/health/ready`.
    static let healthInterval: Duration = .seconds(1)
    /// How often the ledger is audited for the `ledger` health component and the `t4gd_ledger_*` metrics.
    static let ledgerAuditInterval: Duration = .seconds(60)

    /// Prepares a daemon; nothing is opened until ``run()``.
    ///
    /// - Parameter metrics: where every component records its metrics; `/metrics` serves its registry.
    package init(configuration: DaemonConfiguration, logger: Logger, metrics: DaemonMetrics = DaemonMetrics()) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
    }

    /// Claims the data directory, opens everything, serves until a graceful shutdown, then closes the store.
    ///
    /// The store is the first service of the group and the daemon's own services (``serve(store:keys:stopSwitch:)``)
    /// the second: the store serves its connections before they start and closes after they have stopped.
    ///
    /// - Throws: ``StartRefusal`` when the data directory, a data file or the seed is open to other users, another
    ///   daemon holds the data directory, or it cannot be written (read-only file system).
    package func run() async throws {
        let configuration = configuration
        let dataDirectory = try DataDirectory.claim(configuration)
        defer { withExtendedLifetime(dataDirectory) {} }
        var seed = try SeedFile.loadOrCreate(at: configuration.seedPath)
        defer { seed.wipe() }
        let keys = try KeyDerivation(seed: seed)
        let store = try await Store(
            configuration: .init(
                location: configuration.resolvedStoreLocation, fullSync: configuration.store.fullSync,
                caFile: configuration.store.caFile, instance: try InstanceName.resolve(configuration),
                metricsFactory: metrics.factory, logger: logger, runsInServiceGroup: true))
        let stopSwitch = StopSwitch()
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: store),
                    .init(
                        service: DaemonServices {
                            try await self.serve(store: store, keys: keys, stopSwitch: stopSwitch)
                        },
                        successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        stopSwitch.set(group)
        try await group.run()
        logger.notice("t4gd stopped")
    }

    /// Checks the wallet, builds the daemon's components and runs its services until a graceful shutdown reaches
    /// them; the store is served by the enclosing group and closed after this returns.
    private func serve(store: Store, keys: KeyDerivation, stopSwitch: StopSwitch) async throws {
        let configuration = configuration
        let identity = keys.identityKey()
        let backend = MeteredBackend(try await makeBackend(nodeKey: identity), factory: metrics.factory)
        let now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
        do {
            try await store.claimInstanceName()
            try await WalletIdentity(seedKey: identity.publicKey.compressed.hex, backend: backend, logger: logger)
                .check(store)
            // Alive before any attempt is owned: other instances sharing the store leave this one's attempts alone.
            try await store.recordHeartbeat(at: now())
        } catch {
            await backend.shutdown()
            throw error
        }
        let events = EventBus(latestIndex: try await store.lastEventIndex())
        let gate = PaymentGate()
        let rates = configuration.rates.sources.isEmpty ? nil : RateBook(configuration.rates, now: now)
        let invoices = InvoiceBook(
            store: store, backend: backend, events: events, rates: rates, now: now, logger: logger)
        let payments = PaymentSender(
            store: store, backend: backend, events: events, network: configuration.network,
            nodePubkey: identity.publicKey.compressed.hex, gate: gate, rates: rates, now: now, logger: logger)
        guard let proofNetwork = ProofNetwork(rawValue: configuration.network.rawValue) else {
            throw ConfigurationFile.Problem(key: "daemon.network", message: "has no proof network")
        }
        let proofs = ProofBook(
            store: store, keys: keys, identity: identity, network: proofNetwork,
            trustedIssuers: Set([identity.xOnlyPublicKey] + configuration.proofs.trustedIssuers), invoices: invoices,
            events: events, now: now, logger: logger)
        let cluster = ClusterStatus(owner: store.owner)
        let auditor = LedgerAuditor(
            store: store, backend: backend, interval: Self.ledgerAuditInterval, factory: metrics.factory)
        let health = HealthMonitor(
            check: HealthCheck(store: store, backend: backend, now: now), auditor: auditor, gate: gate,
            cluster: cluster, interval: Self.healthInterval)
        await auditor.auditNow()
        await health.measureNow()
        let components = DaemonComponents(
            configuration: configuration, store: store, backend: backend, events: events, invoices: invoices,
            payments: payments, proofs: proofs, rates: rates, health: health, cluster: cluster,
            identityPubkey: identity.xOnlyPublicKey.bytes.hex,
            startedAt: .now,
            now: now,
            requestStop: { stopSwitch.trigger() }, logger: logger)
        let server = RPCServer(
            configuration: rpcConfiguration,
            service: MeteredRPCService(base: DaemonRPCService(components: components), factory: metrics.factory),
            logger: logger, metricsFactory: metrics.factory)
        let operations = OperationsServer(
            configuration: .init(
                enabled: configuration.metrics.enabled, host: configuration.metrics.address,
                port: configuration.metrics.port),
            responder: OperationsResponder(
                registry: metrics.registry,
                gauges: StatusGauges(store: store, cluster: cluster, factory: metrics.factory),
                health: health),
            logger: logger)
        // Made last before the group runs: its HTTP clients must be shut down, which the group's run does.
        var ratePoller: RatePoller?
        if let rates {
            ratePoller = try RatePoller(
                configuration.rates, book: rates, now: now, factory: metrics.factory, logger: logger)
        }
        let group = ServiceGroup(
            configuration: .init(
                services: (ratePoller.map { [ServiceGroupConfiguration.ServiceConfiguration(service: $0)] } ?? []) + [
                    .init(
                        service: PaymentReconciler(
                            store: store, backend: backend, sender: payments, gate: gate, now: now,
                            interval: .seconds(configuration.payments.reconcileIntervalSeconds), logger: logger)),
                    .init(
                        service: SettlementWatcher(
                            store: store, backend: backend, invoices: invoices, cluster: cluster,
                            retryDelay: .seconds(1), logger: logger)
                    ),
                    .init(service: ProofSettler(proofs: proofs, events: events)),
                    .init(service: health),
                    .init(service: auditor),
                    .init(
                        service: InstanceHeartbeat(
                            store: store, cluster: cluster, interval: .seconds(1), now: now, logger: logger)),
                    .init(service: EventFollower(store: store, events: events)),
                    .init(
                        service: InvoiceExpirer(invoices: invoices, now: now, maximumSleep: .seconds(1), logger: logger)
                    ),
                    .init(
                        service: SystemdNotifier(
                            environment: ProcessInfo.processInfo.environment,
                            waitUntilReady: { try await server.waitUntilListening() })),
                    .init(service: operations),
                    .init(service: server),
                ],
                logger: logger))
        logger.notice(
            "t4gd started",
            metadata: [
                "socket": "\(configuration.resolvedSocketPath)", "network": "\(configuration.network.rawValue)",
                "backend": "\(backend.kind)", "data_dir": "\(configuration.dataDirectory)",
                "store": "\(configuration.resolvedStoreLocation.redacted)", "instance": "\(store.owner)",
            ])
        do {
            try await group.run()
        } catch {
            await backend.shutdown()
            throw error
        }
        await backend.shutdown()
    }

    private var rpcConfiguration: RPCServer.Configuration {
        RPCServer.Configuration(
            socketPath: configuration.resolvedSocketPath, socketPermissions: UInt32(configuration.rpc.socketMode),
            socketGroupID: configuration.rpc.socketGroup, maxLineBytes: configuration.rpc.maxLineBytes,
            maxBatch: configuration.rpc.maxBatch, maxInFlightPerConnection: configuration.rpc.maxInFlightPerConnection,
            maxInFlight: configuration.rpc.maxInFlight,
            maxConnections: configuration.rpc.maxConnections,
            idleTimeout: .seconds(configuration.rpc.idleTimeoutSeconds),
            requestTimeout: .seconds(configuration.rpc.requestTimeoutSeconds),
            shutdownGracePeriod: .seconds(configuration.rpc.shutdownGraceSeconds))
    }

    private func makeBackend(nodeKey: PrivateKey) async throws -> any LightningBackend {
        let timeout = Duration.seconds(configuration.backendTimeoutSeconds)
        switch configuration.backend {
        case .dev:
            return try DevBackend(
                configuration: .init(
                    ledgerPath: configuration.resolvedDevLedgerPath, network: configuration.network,
                    startingBalance: configuration.dev.startingBalance, feeBase: configuration.dev.feeBase,
                    feeProportionalMillionths: configuration.dev.feeProportionalMillionths,
                    alias: configuration.dev.alias,
                    paymentLatency: configuration.dev.paymentLatency),
                nodeKey: nodeKey, logger: logger)
        case .lnd:
            let backend = try LNDBackend(
                configuration: .init(
                    restURL: try required(configuration.lnd.restURL, "lnd.rest_url"),
                    tlsCertPath: try required(configuration.lnd.tlsCertPath, "lnd.tls_cert_path"),
                    macaroonPath: try required(configuration.lnd.macaroonPath, "lnd.macaroon_path"),
                    network: configuration.network, requestTimeout: timeout,
                    privateInvoices: configuration.lnd.privateInvoices,
                    maxConnections: Int(configuration.lnd.maxConnections),
                    maxStreams: Int(configuration.lnd.maxStreams),
                    subscriptionIdleTimeout: .seconds(configuration.lnd.subscriptionIdleSeconds)),
                logger: logger)
            return try await started(backend) { () throws(BackendError) in try await backend.start() }
        case .lnbits:
            let backend = LNbitsBackend(
                configuration: .init(
                    baseURL: try required(configuration.lnbits.url, "lnbits.url"),
                    invoiceKey: try required(configuration.lnbits.invoiceKey, "lnbits.invoice_key"),
                    adminKey: configuration.lnbits.adminKey, network: configuration.network, requestTimeout: timeout,
                    pollInterval: .seconds(configuration.lnbits.pollIntervalSeconds), push: configuration.lnbits.push,
                    ownInvoiceCheck: configuration.lnbits.ownInvoiceCheck),
                logger: logger)
            return try await started(backend) { () throws(BackendError) in try await backend.start() }
        }
    }

    private func required(_ value: String?, _ key: String) throws -> String {
        guard let value, !value.isEmpty else {
            throw ConfigurationFile.Problem(
                key: key, message: "is required by daemon.backend = \"\(configuration.backend)\"")
        }
        return value
    }

    /// Checks the backend's credentials and network. Wrong credentials or network refuse the start; an
    /// unreachable backend does not: t4gd starts degraded (see `daemon.health`) and recovers by itself.
    private func started(
        _ backend: some LightningBackend, _ start: () async throws(BackendError) -> Void
    ) async throws -> any LightningBackend {
        do {
            try await start()
        } catch  where error.code == .unavailable || error.code == .timeout {
            logger.warning("the backend is unreachable; starting degraded", metadata: ["error": "\(error)"])
        } catch {
            await backend.shutdown()
            throw error
        }
        return backend
    }
}

/// The daemon's own services, started once the store serves: a service whose work is a closure.
struct DaemonServices: Service {
    let body: @Sendable () async throws -> Void

    func run() async throws {
        try await body()
    }
}

/// Lets `daemon.stop` reach the service group created after the methods.
final class StopSwitch: Sendable {
    private let group = Mutex<ServiceGroup?>(nil)

    func set(_ serviceGroup: ServiceGroup) {
        group.withLock { $0 = serviceGroup }
    }

    func trigger() {
        guard let serviceGroup = group.withLock({ $0 }) else { return }
        Task { await serviceGroup.triggerGracefulShutdown() }
    }
}
