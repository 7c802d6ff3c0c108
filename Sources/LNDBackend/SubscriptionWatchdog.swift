import Synchronization

/// How far an invoice subscription got and when it last heard from LND, shared by its reader and its watchdog.
final class SubscriptionProgress: Sendable {
    private let state: Mutex<(cursor: UInt64, lastHeard: ContinuousClock.Instant)>

    /// Progress starting after settle index `cursor`, heard from now.
    init(cursor: UInt64) {
        state = Mutex((cursor, .now))
    }

    /// The highest settle index delivered.
    var cursor: UInt64 { state.withLock { $0.cursor } }

    /// How long LND has been silent.
    var silence: Duration { state.withLock { .now - $0.lastHeard } }

    /// LND sent something; `cursor` when it was a settlement.
    func heard(cursor: UInt64? = nil) {
        state.withLock {
            $0.lastHeard = .now
            if let cursor { $0.cursor = cursor }
        }
    }

    /// A new subscription starts: silence is counted from now.
    func restart() { heard() }
}

/// The subscription heard nothing for its idle timeout; it may have been dropped silently on the way.
struct SubscriptionSilent: Error {}

/// Runs `read` until it ends; throws ``SubscriptionSilent`` (after cancelling it) once `progress` was silent for
/// `idleTimeout`.
func watchingSilence(
    _ progress: SubscriptionProgress, idleTimeout: Duration, _ read: @escaping @Sendable () async throws -> Void
) async throws {
    progress.restart()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await read() }
        group.addTask {
            while true {
                let silence = progress.silence
                if silence >= idleTimeout { throw SubscriptionSilent() }
                try await Task.sleep(for: idleTimeout - silence)
            }
        }
        defer { group.cancelAll() }
        try await group.next()
    }
}
