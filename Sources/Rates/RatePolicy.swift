/// When quotes make a usable rate: how fresh they must be, how many must agree, and how closely.
public struct RatePolicy: Hashable, Sendable {
    /// A quote older than this is stale and not used.
    public var maximumAgeSeconds: Int64
    /// The fewest fresh, agreeing quotes a rate needs.
    public var minimumSources: Int
    /// How far a quote may lie from the median of the fresh quotes, in basis points (1/100 of a percent),
    /// and still count; quotes further away are outliers, outvoted.
    public var maximumSpreadBasisPoints: Int64

    /// A policy.
    public init(maximumAgeSeconds: Int64, minimumSources: Int, maximumSpreadBasisPoints: Int64) {
        self.maximumAgeSeconds = maximumAgeSeconds
        self.minimumSources = minimumSources
        self.maximumSpreadBasisPoints = maximumSpreadBasisPoints
    }
}

/// A price of one bitcoin as one source last reported it.
public struct RateQuote: Hashable, Sendable {
    /// Fiat units per bitcoin, kept to ``RateQuote/fractionDigits`` decimals.
    public let price: ExactDecimal
    /// When it was fetched (Unix seconds).
    public let fetchedAt: Int64

    /// Decimals kept of a source's price (finer digits of a bitcoin price carry no information).
    public static let fractionDigits = 6
    /// The highest price believed: anything above is garbage (no currency is near it).
    public static let maximumPrice = ExactDecimal(units: 1_000_000_000_000, scale: 0)

    /// A quote from a source's price, cut to ``fractionDigits`` decimals; `nil` for zero or above
    /// ``maximumPrice``.
    public init?(price: ExactDecimal, fetchedAt: Int64) {
        let kept =
            price.scale <= Self.fractionDigits
            ? price
            : ExactDecimal(
                units: price.units / UInt128.powerOfTen(price.scale - Self.fractionDigits)!,
                scale: Self.fractionDigits)
        guard !kept.isZero, kept <= Self.maximumPrice else { return nil }
        self.price = kept
        self.fetchedAt = fetchedAt
    }
}

/// What one source has said about one currency: its last good quote and its last failure, if any.
public struct SourceRecord: Hashable, Sendable {
    /// A failed poll of a source.
    public struct Failure: Hashable, Sendable {
        /// What went wrong, in words without secrets (`timeout`, `HTTP 503`, `no number at data.amount`).
        public var reason: String
        /// When (Unix seconds).
        public var at: Int64

        /// A failure.
        public init(reason: String, at: Int64) {
            self.reason = reason
            self.at = at
        }
    }

    /// The last price it gave.
    public var quote: RateQuote?
    /// Why its last poll failed; cleared by the next good answer.
    public var failure: Failure?

    /// An empty record.
    public init() {}
}
