extension DaemonConfiguration {
    /// How many requests per second one caller of a role may send (`[rate_limits]` in the configuration).
    package struct RateLimit: Sendable, Hashable {
        /// The sustained rate.
        package var requestsPerSecond: Int64
        /// How many requests may arrive at once after a quiet spell.
        package var burst: Int64

        /// Creates a limit; both numbers are in `1...1_000_000`.
        package init(requestsPerSecond: Int64, burst: Int64) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
        }
    }

    /// The limits a daemon starts with: `invoice` and `readonly` callers 1000 requests/s with bursts of 2000,
    /// `admin` unlimited.
    package static let defaultRateLimits: [Role: RateLimit] = [
        .invoice: RateLimit(requestsPerSecond: 1000, burst: 2000),
        .readonly: RateLimit(requestsPerSecond: 1000, burst: 2000),
    ]
}
