import Synchronization

/// Waits for `task` at most `timeout`; `nil` when the time ran out. The task keeps running either way (a
/// payment attempt continues in the background and is recorded when it ends).
///
/// Not a task group: a group would wait for its child awaiting `task.value` before returning, so the
/// timeout would never cut the wait short.
func firstOf<T: Sendable>(_ task: Task<T, Never>, timeout: Duration) async -> T? {
    let race = Race<T?>()
    return await withCheckedContinuation { continuation in
        race.start(continuation)
        let timer = Task {
            try? await Task.sleep(for: timeout)
            race.finish(nil)
        }
        Task {
            let value = await task.value
            timer.cancel()
            race.finish(value)
        }
    }
}

/// Resumes one continuation with whichever result comes first.
private final class Race<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, Never>?>(nil)

    func start(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func finish(_ value: T) {
        continuation.withLock { pending in
            pending?.resume(returning: value)
            pending = nil
        }
    }
}
