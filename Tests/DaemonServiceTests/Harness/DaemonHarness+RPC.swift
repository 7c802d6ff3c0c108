import DaemonConfig
import Logging
import Operations
import RPCClient
import RPCMethods
import RPCServer
import TestSupport

@testable import Wallet

extension DaemonHarness {
    /// Runs `body` with a client of the daemon's RPC service (its whole method table, roles and error mapping)
    /// served over a Unix socket in this process, on the harness's services; stops the server after `body`.
    ///
    /// For what the wire shows (`replayed`, error reasons and data); the services themselves are faster to
    /// test directly.
    func serving<T>(_ body: (RPCClient) async throws -> T) async throws -> T {
        let logger = Logger(label: "t4gd.harness")
        let cluster = ClusterStatus(owner: store.owner)
        let components = DaemonComponents(
            configuration: DaemonConfiguration(), store: store, backend: backend, events: events, invoices: invoices,
            payments: payments, proofs: proofs, rates: nil,
            health: HealthMonitor(
                check: HealthCheck(store: store, backend: backend, now: { clock.now }),
                auditor: LedgerAuditor(
                    store: store, backend: backend, interval: .seconds(3_600), factory: DaemonMetrics().factory),
                gate: reconciler.gate, cluster: cluster, interval: .seconds(3_600)),
            cluster: cluster, identityPubkey: proofs.identity.xOnlyPublicKey.bytes.hex, startedAt: .now,
            now: { clock.now }, requestStop: {}, logger: logger)
        let server = RPCServer(
            configuration: .init(socketPath: directory.file("rpc.sock")),
            service: DaemonRPCService(components: components), logger: logger)
        let serving = Task { try await server.run() }
        return try await withCleanup {
            try await server.waitUntilListening()
            let client = try await RPCClient.connect(unixDomainSocketPath: directory.file("rpc.sock"))
            return try await withCleanup {
                try await body(client)
            } finally: {
                await client.close()
            }
        } finally: {
            serving.cancel()
            _ = await serving.result
        }
    }
}
