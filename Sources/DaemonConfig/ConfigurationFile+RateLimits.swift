import TOML

extension ConfigurationFile {
    /// Reads `[rate_limits]`: `ROLE_requests_per_s` (0 removes the limit) and `ROLE_burst` (default: twice the
    /// rate) for each role.
    static func applyRateLimits(_ table: TOMLTable, to configuration: inout DaemonConfiguration) throws(Problem) {
        for role in DaemonConfiguration.Role.allCases {
            let rateKey = "\(role.rawValue)_requests_per_s"
            let burstKey = "\(role.rawValue)_burst"
            let rate = try bounded(rateKey, in: table, 0...1_000_000)
            let burst = try bounded(burstKey, in: table, 1...1_000_000)
            switch (rate, configuration.access.rateLimits[role]) {
            case (0?, _):
                guard burst == nil else {
                    throw Problem(key: "rate_limits.\(burstKey)", message: "needs \(rateKey) above 0")
                }
                configuration.access.rateLimits[role] = nil
            case (let rate?, _):
                configuration.access.rateLimits[role] = DaemonConfiguration.RateLimit(
                    requestsPerSecond: rate, burst: burst ?? min(2 * rate, 1_000_000))
            case (nil, let current?):
                configuration.access.rateLimits[role]?.burst = burst ?? current.burst
            case (nil, nil):
                guard burst == nil else {
                    throw Problem(key: "rate_limits.\(burstKey)", message: "needs \(rateKey) (the role is unlimited)")
                }
            }
        }
    }

    private static func bounded(_ name: String, in table: TOMLTable, _ range: ClosedRange<Int64>) throws(Problem)
        -> Int64?
    {
        let key = "rate_limits.\(name)"
        guard let value = try read(key, { try table.integer(name) }) else { return nil }
        guard range.contains(value) else {
            throw Problem(key: key, message: "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }
}
