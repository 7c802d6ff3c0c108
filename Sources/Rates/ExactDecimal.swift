/// A non-negative decimal number kept exactly: an integer count of units of `10^-scale`. Prices and fiat
/// amounts are read from text into this type and never pass through binary floating point.
public struct ExactDecimal: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The value in units of `10^-scale`.
    public let units: UInt128
    /// The number of digits after the decimal point.
    public let scale: Int

    /// The most digits after the point a parsed value may keep.
    public static let maximumScale = 18
    /// The most significant digits a parsed value may have (keeps every product in this module in `UInt128`).
    public static let maximumDigits = 24

    /// A value from its units and scale, with trailing zeros of the fraction removed.
    public init(units: UInt128, scale: Int) {
        var (units, scale) = (units, scale)
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        self.units = units
        self.scale = scale
    }

    /// Parses plain decimal text (`"78.50"`, `"0.5"`, `"12"`): ASCII digits with at most one point, no sign, no
    /// exponent, no spaces. `nil` for anything else, and for more than ``maximumDigits`` significant digits or
    /// ``maximumScale`` fraction digits.
    public init?(_ text: some StringProtocol) {
        guard let parsed = Self.parse(text) else { return nil }
        self = parsed.value
    }

    /// The value and the number of fraction digits as written (`"78.50"` has two, though it equals `78.5`).
    public static func parse(_ text: some StringProtocol) -> (value: ExactDecimal, writtenScale: Int)? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return nil }
        var units: UInt128 = 0
        var scale = 0
        var sawPoint = false
        var digits = 0
        var significant = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !sawPoint else { return nil }
                sawPoint = true
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            digits += 1
            if sawPoint { scale += 1 }
            if significant > 0 || byte != UInt8(ascii: "0") { significant += 1 }
            guard significant <= maximumDigits, scale <= maximumScale else { return nil }
            units = units * 10 + UInt128(byte - UInt8(ascii: "0"))
        }
        guard digits > 0, bytes.first != UInt8(ascii: "."), bytes.last != UInt8(ascii: ".") else { return nil }
        return (ExactDecimal(units: units, scale: scale), scale)
    }

    /// The shortest decimal text of a finite, non-negative `Double` (as JSON APIs send prices), read exactly:
    /// `85123.45` becomes `85123.45`, not the binary value's 40-digit expansion. `nil` for negative, infinite or
    /// NaN values and for values this type cannot hold.
    public init?(shortestRepresentationOf value: Double) {
        guard value.isFinite, value >= 0 else { return nil }
        let text = "\(value)"
        guard let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            guard let parsed = ExactDecimal(text) else { return nil }
            self = parsed
            return
        }
        guard let mantissa = ExactDecimal(text[..<exponentIndex]),
            let exponent = Int(text[text.index(after: exponentIndex)...])
        else { return nil }
        guard let shifted = mantissa.shifted(by: exponent) else { return nil }
        self = shifted
    }

    /// This value times `10^exponent`, or `nil` when it would not fit.
    func shifted(by exponent: Int) -> ExactDecimal? {
        if exponent <= 0 {
            guard scale - exponent <= Self.maximumScale else { return nil }
            return ExactDecimal(units: units, scale: scale - exponent)
        }
        if exponent <= scale { return ExactDecimal(units: units, scale: scale - exponent) }
        guard let factor = UInt128.powerOfTen(exponent - scale) else { return nil }
        let (product, overflow) = units.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        return ExactDecimal(units: product, scale: 0)
    }

    /// Whether the value is zero.
    public var isZero: Bool { units == 0 }

    /// The units of this value at `scale` digits (which must be at least ``scale``), or `nil` on overflow.
    public func units(atScale target: Int) -> UInt128? {
        precondition(target >= scale, "a decimal is only ever widened")
        guard let factor = UInt128.powerOfTen(target - scale) else { return nil }
        let (product, overflow) = units.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    /// The exact mean of two values.
    public static func mean(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal {
        let scale = max(a.scale, b.scale)
        // Both sides are below 10^(maximumDigits + maximumScale) < 2^127, so the sum times 5 stays in range.
        let sum = a.units(atScale: scale)! + b.units(atScale: scale)!
        return ExactDecimal(units: sum * 5, scale: scale + 1)
    }

    /// Compares without trapping: only the side with fewer decimals is widened, and a side whose widening
    /// overflows `UInt128` is the larger (the other side's value is below `2^128 / 10^scale`).
    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.units(atScale: scale) else { return false }
        guard let right = rhs.units(atScale: scale) else { return true }
        return left < right
    }

    /// Plain decimal text, without an exponent and without trailing zeros (`"85123.45"`).
    public var description: String { plainText }

    /// Text with exactly `digits` fraction digits (`"78.50"` for two); `digits` must be at least ``scale``.
    public func formatted(fractionDigits digits: Int) -> String {
        let widened = ExactDecimal(unnormalizedUnits: units(atScale: digits)!, scale: digits)
        return widened.plainText
    }

    private init(unnormalizedUnits: UInt128, scale: Int) {
        self.units = unnormalizedUnits
        self.scale = scale
    }

    private var plainText: String {
        let digits = String(units)
        guard scale > 0 else { return digits }
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let point = padded.index(padded.endIndex, offsetBy: -scale)
        return padded[..<point] + "." + padded[point...]
    }
}

extension UInt128 {
    /// `10^exponent`, or `nil` when it does not fit (exponent above 38) or the exponent is negative.
    static func powerOfTen(_ exponent: Int) -> UInt128? {
        guard (0...38).contains(exponent) else { return nil }
        var value: UInt128 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
