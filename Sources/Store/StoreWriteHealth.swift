import Synchronization

/// Whether the store's writes succeed: the latest write's database failure, cleared by the next write that
/// succeeds. The health check reports the store degraded while it is set.
final class StoreWriteHealth: Sendable {
    private let latest = Mutex<String?>(nil)

    /// Why the latest write failed, or `nil` when it succeeded (or none failed yet).
    var failure: String? { latest.withLock { $0 } }

    /// A write succeeded: the store can be written.
    func succeeded() {
        latest.withLock { $0 = nil }
    }

    /// The write `operation` failed with `error`; only failures of the database itself count.
    func failed(_ operation: String, _ error: StoreError) {
        guard error.code == .database else { return }
        latest.withLock { $0 = "\(operation) failed: \(error.detail)" }
    }
}
