import Synchronization

/// A token bucket holding up to `burst` requests and refilled at `requestsPerSecond`, kept as one atomic
/// number: the time at which the bucket would be full again (the generic cell rate algorithm). Callers on
/// any thread take tokens with a compare-and-swap, never a lock.
final class RateBucket: Sendable {
    /// Nanoseconds one token takes to refill.
    private let interval: UInt64
    /// How far ahead of now the full-again time may run: `burst` intervals.
    private let tolerance: UInt64
    /// The monotonic time (ns) at which the bucket is full again; any earlier value means full.
    private let fullAt = Atomic<UInt64>(0)

    /// Creates a full bucket.
    ///
    /// - Precondition: `requestsPerSecond` and `burst` are in `1...1_000_000`.
    init(requestsPerSecond: Int64, burst: Int64) {
        precondition((1...1_000_000).contains(requestsPerSecond) && (1...1_000_000).contains(burst))
        interval = 1_000_000_000 / UInt64(requestsPerSecond)
        tolerance = interval * UInt64(burst)
    }

    /// Takes one token at `now` (nanoseconds on a monotonic clock): `nil` when one was free, else how long
    /// until the next one is.
    func take(now: UInt64) -> Duration? {
        var current = fullAt.load(ordering: .relaxed)
        while true {
            let next = max(current, now) + interval
            guard next - now <= tolerance else { return .nanoseconds(Int64(next - now - tolerance)) }
            let (exchanged, original) = fullAt.compareExchange(
                expected: current, desired: next, ordering: .relaxed)
            if exchanged { return nil }
            current = original
        }
    }
}
