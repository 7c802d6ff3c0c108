import Logging
import ServiceLifecycle
import Store

/// Records that this instance is alive every `interval`, so that other instances sharing the store leave the
/// payment attempts it owns alone (see ``PaymentReconciler``), and counts the live instances for `cluster`.
package struct InstanceHeartbeat: Service {
    /// How long an instance counts as alive after its last heartbeat.
    static let lease: Int64 = 15

    let store: Store
    let cluster: ClusterStatus
    let interval: Duration
    let now: @Sendable () -> Int64
    let logger: Logger

    /// Creates a heartbeat recorded every `interval`.
    package init(
        store: Store, cluster: ClusterStatus, interval: Duration, now: @escaping @Sendable () -> Int64, logger: Logger
    ) {
        self.store = store
        self.cluster = cluster
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    /// Records a heartbeat every `interval` until graceful shutdown.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let at = now()
                    try await store.recordHeartbeat(at: at)
                    cluster.setLiveInstances(try await store.liveInstances(aliveSince: at - Self.lease).count)
                } catch let error as StoreError where error.code == .instanceNameTaken {
                    logger.error(
                        "lost this instance's name to another process while the database was unreachable",
                        metadata: ["error": "\(error)"])
                } catch {
                    logger.warning("cannot record the heartbeat", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
