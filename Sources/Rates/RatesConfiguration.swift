import CoreMetrics
import Logging

/// The `[rates]` section: the price sources and how their quotes make a rate. With no source (the default)
/// t4gd converts nothing and fiat amounts are refused with `rate_unavailable`.
public struct RatesConfiguration: Sendable {
    /// The price sources, in the order `rates.get` lists them.
    public var sources: [RateSource] = []
    /// Freshness, quorum and spread of the quotes.
    public var policy = RatePolicy(maximumAgeSeconds: 600, minimumSources: 2, maximumSpreadBasisPoints: 100)
    /// How often every source is asked.
    public var pollIntervalSeconds: Int64 = 60
    /// How long one source may take to answer.
    public var timeoutSeconds: Int64 = 10

    /// The defaults: no source.
    public init() {}
}

extension RateBook {
    /// A book for the configured sources and policy.
    public convenience init(_ configuration: RatesConfiguration, now: @escaping @Sendable () -> Int64) {
        self.init(
            sources: configuration.sources.map { (name: $0.name, currencies: $0.currencies) },
            policy: configuration.policy, pollIntervalSeconds: configuration.pollIntervalSeconds, now: now)
    }
}

extension RatePoller {
    /// A poller of the configured sources into `book`.
    public init(
        _ configuration: RatesConfiguration, book: RateBook, now: @escaping @Sendable () -> Int64,
        factory: any MetricsFactory, logger: Logger
    ) throws {
        try self.init(
            book: book, sources: configuration.sources, interval: .seconds(configuration.pollIntervalSeconds),
            timeout: .seconds(configuration.timeoutSeconds), now: now, factory: factory, logger: logger)
    }
}
