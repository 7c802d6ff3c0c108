/// An amount of millisatoshi. Money is always an integer; never floating point.
public struct MilliSatoshi: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount in millisatoshi.
    public let rawValue: Int64

    /// Wraps a millisatoshi amount.
    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// Wraps a millisatoshi amount.
    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// The amount of `sat` satoshi, or `nil` when it overflows.
    public init?(sat: Int64) {
        let (value, overflow) = sat.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return nil }
        rawValue = value
    }

    /// This amount plus `other`, or `nil` when the sum overflows.
    public func adding(_ other: MilliSatoshi) -> MilliSatoshi? {
        let (sum, overflow) = rawValue.addingReportingOverflow(other.rawValue)
        return overflow ? nil : MilliSatoshi(sum)
    }

    /// `millionths` parts per million of this amount, rounded toward zero, or `nil` when it overflows.
    ///
    /// Computed as `(amount / 10⁶) × millionths + (amount % 10⁶) × millionths / 10⁶`, so no intermediate
    /// product is larger than the result needs: a fee rate applied to 21 million bitcoin does not trap.
    public func partsPerMillion(_ millionths: Int64) -> MilliSatoshi? {
        let (whole, rest) = rawValue.quotientAndRemainder(dividingBy: 1_000_000)
        let (wholePart, wholeOverflow) = whole.multipliedReportingOverflow(by: millionths)
        let (restProduct, restOverflow) = rest.multipliedReportingOverflow(by: millionths)
        guard !wholeOverflow, !restOverflow else { return nil }
        return MilliSatoshi(wholePart).adding(MilliSatoshi(restProduct / 1_000_000))
    }

    /// Whole satoshi, rounded down.
    public var sat: Int64 { rawValue / 1000 }

    public static let zero = MilliSatoshi(0)

    public static func < (lhs: MilliSatoshi, rhs: MilliSatoshi) -> Bool { lhs.rawValue < rhs.rawValue }
    public static func + (lhs: MilliSatoshi, rhs: MilliSatoshi) -> MilliSatoshi {
        MilliSatoshi(lhs.rawValue + rhs.rawValue)
    }
    public static func - (lhs: MilliSatoshi, rhs: MilliSatoshi) -> MilliSatoshi {
        MilliSatoshi(lhs.rawValue - rhs.rawValue)
    }

    public var description: String { "\(rawValue) msat" }
}
