/// The state of one currency's rate: every source's latest word, and the rate they make, if they make one.
public struct RateReport: Sendable {
    /// How a source's quote was used.
    public enum Use: String, Sendable {
        /// Fresh and within the spread of the median: part of the rate.
        case used
        /// Fresh but too far from the median: outvoted.
        case outlier
        /// Fresh and agreeing, but too few such quotes to make a rate.
        case insufficient
        /// Older than the policy's maximum age.
        case stale
        /// Its polls failed and it has no fresh quote.
        case failed
        /// Never answered yet.
        case missing
    }

    /// One source's line.
    public struct Line: Sendable {
        public let source: String
        public let quote: RateQuote?
        public let failure: SourceRecord.Failure?
        public let use: Use
    }

    /// The currency.
    public let currency: Currency
    /// Every configured source for the currency, in configuration order.
    public let lines: [Line]
    /// The rate in use (fiat units per bitcoin), or `nil` when the quotes make none.
    public let rate: ExactDecimal?
    /// When the newest quote behind ``rate`` was fetched (Unix seconds).
    public let at: Int64?
    /// Why there is no rate, when there is none.
    public let unavailableReason: String?

    /// The sources whose quotes make the rate.
    public var sourcesUsed: [String] { lines.filter { $0.use == .used }.map(\.source) }

    /// Combines the sources' records under `policy` at time `now`: the median of the fresh quotes that lie
    /// within the spread of the median of all fresh quotes, if at least `minimumSources` of them do.
    public init(currency: Currency, records: [(source: String, record: SourceRecord)], policy: RatePolicy, now: Int64) {
        func isFresh(_ quote: RateQuote) -> Bool { now - quote.fetchedAt <= policy.maximumAgeSeconds }
        let fresh = records.compactMap { $0.record.quote }.filter(isFresh).map(\.price)
        var agreeing: Set<ExactDecimal> = []
        var reason: String?
        if !fresh.isEmpty {
            let center = Self.median(fresh)
            agreeing = Set(fresh.filter { Self.isWithin(policy.maximumSpreadBasisPoints, of: center, $0) })
        }
        if fresh.count < policy.minimumSources {
            reason = "\(fresh.count) of \(records.count) sources have a fresh quote; \(policy.minimumSources) needed"
        } else if fresh.filter(agreeing.contains).count < policy.minimumSources {
            reason = "the sources disagree by more than \(policy.maximumSpreadBasisPoints) basis points"
            agreeing = []
        }
        let usable = reason == nil
        lines = records.map { entry in
            let use: Use =
                switch entry.record.quote {
                case nil: entry.record.failure == nil ? .missing : .failed
                case let quote? where !isFresh(quote): entry.record.failure == nil ? .stale : .failed
                case let quote?: !agreeing.contains(quote.price) ? .outlier : usable ? .used : .insufficient
                }
            return Line(source: entry.source, quote: entry.record.quote, failure: entry.record.failure, use: use)
        }
        self.currency = currency
        let used = lines.filter { $0.use == .used }.compactMap(\.quote)
        rate = used.isEmpty ? nil : Self.median(used.map(\.price))
        at = used.map(\.fetchedAt).max()
        unavailableReason = reason
    }

    /// The median; the exact mean of the two middle values for an even count.
    static func median(_ values: [ExactDecimal]) -> ExactDecimal {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : ExactDecimal.mean(sorted[middle - 1], sorted[middle])
    }

    /// Whether `value` lies within `basisPoints` of `center`: |value - center| * 10,000 <= basisPoints * center.
    static func isWithin(_ basisPoints: Int64, of center: ExactDecimal, _ value: ExactDecimal) -> Bool {
        let scale = max(center.scale, value.scale)
        let (c, v) = (center.units(atScale: scale)!, value.units(atScale: scale)!)
        let distance = c > v ? c - v : v - c
        return distance * 10_000 <= UInt128(basisPoints) * c
    }
}
