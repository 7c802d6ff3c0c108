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
