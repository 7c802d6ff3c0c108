import Synchronization

/// Waits for `task` at most `timeout`; `nil` when the time ran out. The task keeps running either way (a
/// payment attempt continues in the background and is recorded when it ends).
///
/// Not a task group: a group would wait for its child awaiting `task.value` before returning, so the
/// timeout would never cut the wait short.
package func firstOf<T: Sendable>(_ task: Task<T, Never>, timeout: Duration) async -> T? {
    await firstOf(task, timeout: timeout, clock: ContinuousClock())
}

/// ``firstOf(_:timeout:)`` measured by `clock`.
///
/// The value decides the race before the timer is cancelled, and only a sleep that ran its full length answers
/// `nil`: a cancelled sleep (which may return or throw, depending on the clock) never beats the task's value.
package func firstOf<T: Sendable, C: Clock>(_ task: Task<T, Never>, timeout: C.Duration, clock: C) async -> T? {
    let race = Race<T?>()
    return await withCheckedContinuation { continuation in
        race.start(continuation)
        let timer = Task {
            do {
                try await clock.sleep(for: timeout)
            } catch {
                return
            }
            guard !Task.isCancelled else { return }
            race.finish(nil)
        }
        Task {
            let value = await task.value
            race.finish(value)
            timer.cancel()
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
