import Logging
import ServiceLifecycle
import Store

/// Records that this instance is alive every `interval`, so that other instances sharing the store leave the
/// payment attempts it owns alone (see ``PaymentReconciler``).
struct InstanceHeartbeat: Service {
    /// How long an instance counts as alive after its last heartbeat.
    static let lease: Int64 = 15

    let store: Store
    let interval: Duration
    let now: @Sendable () -> Int64
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await store.recordHeartbeat(at: now())
                } catch {
                    logger.warning("cannot record the heartbeat", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
