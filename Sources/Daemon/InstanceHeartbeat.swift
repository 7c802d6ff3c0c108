import Logging
import ServiceLifecycle
import Store

/// Records that this instance is alive every `interval`, so that other instances sharing the store leave the
/// payment attempts it owns alone (see ``PaymentReconciler``), and counts the live instances for `cluster`.
struct InstanceHeartbeat: Service {
    /// How long an instance counts as alive after its last heartbeat.
    static let lease: Int64 = 15

    let store: Store
    let cluster: ClusterStatus
    let interval: Duration
    let now: @Sendable () -> Int64
    let logger: Logger

    func run() async throws {
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
