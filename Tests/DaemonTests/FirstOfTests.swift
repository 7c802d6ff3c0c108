import Dispatch
import Synchronization
import Testing

@testable import Wallet

@Suite struct FirstOfTests {
    @Test func returnsTheValueWhenTheTaskFinishesInTime() async {
        let task = Task { 42 }
        #expect(await firstOf(task, timeout: .seconds(30)) == 42)
    }

    @Test func returnsNilAtTheTimeoutWhileTheTaskKeepsRunning() async {
        let slow = Task { () -> Int in
            try? await Task.sleep(for: .seconds(120))
            return 7
        }
        let start = ContinuousClock.now
        #expect(await firstOf(slow, timeout: .milliseconds(50)) == nil)
        // Far below the task's 120 s, yet far above any stall of a loaded machine.
        #expect(ContinuousClock.now - start < .seconds(60), "the timeout did not cut the wait short")
        #expect(!slow.isCancelled)
        slow.cancel()
    }

    @Test func answersNilOnlyWhenTheClockReachesTheTimeout() async throws {
        let clock = SteppedClock()
        let gate = AsyncGate()
        let task = Task { await gate.wait() }
        let answer = Task { await firstOf(task, timeout: .seconds(10), clock: clock) }
        try await clock.waitForSleeper()
        clock.advance(by: .seconds(10))
        #expect(await answer.value == nil)
        gate.open(with: 5)
        #expect(await task.value == 5)
    }

    /// The task's value wins even when the cancelled timer's sleep ends first: the clock holds the canceller
    /// until the answer is known, the order in which the old code let the timer answer `nil`.
    @Test func aValueIsNeverLostToTheCancelledTimer() async {
        let decided = DispatchSemaphore(value: 0)
        let clock = SteppedClock(holdCancellerUntil: decided)
        let gate = AsyncGate()
        let task = Task { await gate.wait() }
        let answer = Task {
            let value = await firstOf(task, timeout: .seconds(10), clock: clock)
            decided.signal()
            return value
        }
        try? await clock.waitForSleeper()
        gate.open(with: 7)
        #expect(await answer.value == 7)
    }
}

/// A one-shot value the test hands to a waiting task.
private final class AsyncGate: Sendable {
    private let state = Mutex<(value: Int?, waiter: CheckedContinuation<Int, Never>?)>((nil, nil))

    func wait() async -> Int {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Int? in
                if state.value == nil { state.waiter = continuation }
                return state.value
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func open(with value: Int) {
        let waiter = state.withLock { state in
            state.value = value
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: value)
    }
}

/// A clock that moves only when the test advances it. A sleep cancelled ends at once by throwing; with
/// `holdCancellerUntil`, the task that cancelled it is held (up to 5 s) until the semaphore is signalled, so
/// the sleeper runs first.
private final class SteppedClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let state = Mutex<(now: Instant, sleepers: [Int: Sleeper], next: Int)>((Instant(offset: .zero), [:], 0))
    private let hold: DispatchSemaphore?

    init(holdCancellerUntil hold: DispatchSemaphore? = nil) { self.hold = hold }

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state in
            defer { state.next += 1 }
            return state.next
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let due = state.withLock { state -> Bool in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if due { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
            if sleeper != nil, let hold { _ = hold.wait(timeout: .now() + 5) }
        }
        try Task.checkCancellation()
    }

    /// Moves the time forward, ending the sleeps now due.
    func advance(by duration: Duration) {
        let due = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Waits (up to 10 s of real time) until some task sleeps on this clock.
    func waitForSleeper() async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while state.withLock({ $0.sleepers.isEmpty }), ContinuousClock.now < deadline {
            await Task.yield()
        }
    }
}
