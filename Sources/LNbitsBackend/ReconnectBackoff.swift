/// How long to wait before reconnecting: doubling from `initial` up to `maximum` while connections fail or
/// break at once, back to `initial` after a connection that held at least `stableAfter`. Pure; tested by
/// value.
struct ReconnectBackoff: Sendable {
    let initial: Duration
    let maximum: Duration
    let stableAfter: Duration
    private var next: Duration

    /// A backoff whose first delay is `initial`.
    init(initial: Duration, maximum: Duration, stableAfter: Duration) {
        self.initial = initial
        self.maximum = maximum
        self.stableAfter = stableAfter
        next = initial
    }

    /// The delay before the next attempt, after a connection that lasted `lifetime` (`nil`: it never opened).
    mutating func delay(afterConnectionLasting lifetime: Duration?) -> Duration {
        if let lifetime, lifetime >= stableAfter { next = initial }
        let delay = next
        next = min(next * 2, maximum)
        return delay
    }
}
