import Synchronization

/// The latest quotes of every configured source, per currency, and the rates they make. Pollers write it;
/// requests only read it, so no request ever waits on a price source.
public final class RateBook: Sendable {
    /// A currency has no usable rate now.
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        /// The currency asked for.
        public let currency: Currency
        /// Why, in words.
        public let reason: String
        /// When asking again may help (the next poll), if it may.
        public let retryAfterSeconds: Int64?

        public var description: String { "no rate for \(currency.code): \(reason)" }
    }

    /// A rate to convert at, and where it came from.
    public struct Snapshot: Hashable, Sendable {
        public let currency: Currency
        /// Fiat units per bitcoin.
        public let rate: ExactDecimal
        /// The sources whose quotes made it.
        public let sources: [String]
        /// When the newest of those quotes was fetched (Unix seconds).
        public let at: Int64
    }

    private struct Key: Hashable {
        let source: String
        let currency: Currency
    }

    /// The policy that makes rates of quotes.
    public let policy: RatePolicy
    /// How often the sources are polled (the wait a caller is told when no rate is usable).
    public let pollIntervalSeconds: Int64
    private let sourcesByCurrency: [Currency: [String]]
    private let records = Mutex<[Key: SourceRecord]>([:])
    private let now: @Sendable () -> Int64

    /// A book for `sources`, each quoting the currencies listed with it.
    public init(
        sources: [(name: String, currencies: [Currency])], policy: RatePolicy, pollIntervalSeconds: Int64,
        now: @escaping @Sendable () -> Int64
    ) {
        var byCurrency: [Currency: [String]] = [:]
        for source in sources {
            for currency in source.currencies { byCurrency[currency, default: []].append(source.name) }
        }
        self.sourcesByCurrency = byCurrency
        self.policy = policy
        self.pollIntervalSeconds = pollIntervalSeconds
        self.now = now
    }

    /// The currencies some source quotes, sorted by code.
    public var currencies: [Currency] { sourcesByCurrency.keys.sorted { $0.code < $1.code } }

    /// Records a good answer of `source` for `currency`.
    public func record(_ quote: RateQuote, source: String, currency: Currency) {
        records.withLock { records in
            var record = records[Key(source: source, currency: currency)] ?? SourceRecord()
            record.quote = quote
            record.failure = nil
            records[Key(source: source, currency: currency)] = record
        }
    }

    /// Records a failed poll of `source` for `currency`; its last good quote stays until it is stale.
    public func recordFailure(_ reason: String, source: String, currency: Currency) {
        let at = now()
        records.withLock {
            $0[Key(source: source, currency: currency), default: SourceRecord()].failure = .init(reason: reason, at: at)
        }
    }

    /// Every source's word on `currency` and the rate it makes now; `nil` if no source quotes it.
    public func report(for currency: Currency) -> RateReport? {
        guard let names = sourcesByCurrency[currency] else { return nil }
        let snapshot = records.withLock { records in
            names.map { (source: $0, record: records[Key(source: $0, currency: currency)] ?? SourceRecord()) }
        }
        return RateReport(currency: currency, records: snapshot, policy: policy, now: now())
    }

    /// The rate to convert `currency` at now.
    ///
    /// - Throws: ``Unavailable`` when no source quotes the currency, or its quotes are too few, too old or
    ///   disagree.
    public func rate(for currency: Currency) throws(Unavailable) -> Snapshot {
        guard let report = report(for: currency) else {
            throw Unavailable(currency: currency, reason: "no rate source quotes it", retryAfterSeconds: nil)
        }
        guard let rate = report.rate, let at = report.at else {
            throw Unavailable(
                currency: currency, reason: report.unavailableReason ?? "no quote",
                retryAfterSeconds: pollIntervalSeconds)
        }
        return Snapshot(currency: currency, rate: rate, sources: report.sourcesUsed, at: at)
    }
}
