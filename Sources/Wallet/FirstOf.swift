import Synchronization

/// Waits for `task` at most `timeout`; `nil` when the time ran out or the waiting task was cancelled (its client
/// went away). The task keeps running either way: a payment attempt continues in the background and is recorded
/// when it ends.
///
/// Not a task group: a group would wait for its child awaiting `task.value` before returning, so neither the
/// timeout nor a cancellation would cut the wait short.
package func firstOf<T: Sendable>(_ task: Task<T, Never>, timeout: Duration) async -> T? {
    await firstOf(task, timeout: timeout, clock: ContinuousClock())
}

/// ``firstOf(_:timeout:)`` measured by `clock`.
///
/// The value decides the race before the timer is cancelled, and only a sleep that ran its full length answers
/// `nil`: a cancelled sleep (which may return or throw, depending on the clock) never beats the task's value.
/// A cancelled waiter answers `nil` at once and stops the timer, so nothing it started outlives it but `task`.
package func firstOf<T: Sendable, C: Clock>(_ task: Task<T, Never>, timeout: C.Duration, clock: C) async -> T? {
    let race = Race<T>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            guard race.start(continuation) else { return }
            race.time(
                Task {
                    do {
                        try await clock.sleep(for: timeout)
                    } catch {
                        return
                    }
                    guard !Task.isCancelled else { return }
                    race.finish(nil)
                })
            Task { race.finish(await task.value) }
        }
    } onCancel: {
        race.finish(nil)
    }
}

/// Resumes one continuation with whichever answer comes first, then cancels the timer.
///
/// An answer may come before the continuation (a waiter cancelled before it started waiting): it is kept and
/// handed over when the continuation arrives.
private final class Race<T: Sendable>: Sendable {
    private enum Phase {
        case open
        case waiting(CheckedContinuation<T?, Never>)
        case answeredEarly(T?)
        case over
    }

    private let state = Mutex<(phase: Phase, timer: Task<Void, Never>?)>((.open, nil))

    /// Hands over the continuation to resume; `false` when the race was already decided (and the continuation
    /// resumed with that answer).
    func start(_ continuation: CheckedContinuation<T?, Never>) -> Bool {
        let early = state.withLock { state -> T?? in
            guard case .answeredEarly(let answer) = state.phase else {
                state.phase = .waiting(continuation)
                return .none
            }
            state.phase = .over
            return .some(answer)
        }
        guard let early else { return true }
        continuation.resume(returning: early)
        return false
    }

    /// Keeps the timer, to cancel it once the race is decided (at once if it already is).
    func time(_ timer: Task<Void, Never>) {
        let decided = state.withLock { state in
            guard case .waiting = state.phase else { return true }
            state.timer = timer
            return false
        }
        if decided { timer.cancel() }
    }

    /// Decides the race with `answer` unless it is decided already.
    func finish(_ answer: T?) {
        let (continuation, timer) = state.withLock { state -> (CheckedContinuation<T?, Never>?, Task<Void, Never>?) in
            switch state.phase {
            case .open:
                state.phase = .answeredEarly(answer)
                return (nil, nil)
            case .waiting(let continuation):
                state.phase = .over
                defer { state.timer = nil }
                return (continuation, state.timer)
            case .answeredEarly, .over:
                return (nil, nil)
            }
        }
        continuation?.resume(returning: answer)
        timer?.cancel()
    }
}
