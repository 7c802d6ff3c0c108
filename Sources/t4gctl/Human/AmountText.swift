/// Amounts for people: millisatoshi as sats with thousands separators and the msat remainder only when
/// non-zero (`1,000 sat`, `1,000.5 sat`, `-0.001 sat`), and back.
enum AmountText {
    /// `msat` as sats: `1,000 sat` for 1 000 000 msat, `1,000.5 sat` for 1 000 500 msat.
    static func format(msat: Int64) -> String {
        let magnitude = msat.magnitude
        let sats = grouped(magnitude / 1000)
        let remainder = magnitude % 1000
        var text = (msat < 0 ? "-" : "") + sats
        if remainder != 0 {
            var digits = String(remainder)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + " sat"
    }

    /// `sat` whole sats (a `*_sat` field) as sats; nil when the msat value would not fit 64 bits.
    static func format(sat: Int64) -> String? {
        let (msat, overflow) = sat.multipliedReportingOverflow(by: 1000)
        return overflow ? nil : format(msat: msat)
    }

    /// The msat of a text as ``format(msat:)`` writes it (the ` sat` suffix and the separators optional);
    /// nil when it is not an amount or does not fit 64 bits.
    static func parse(_ text: String) -> Int64? {
        var body = Substring(text)
        if body.hasSuffix(" sat") { body = body.dropLast(4) }
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0].filter { $0 != "," }
        guard !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), let sats = UInt64(whole) else { return nil }
        var remainder: UInt64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...3).contains(fraction.count), fraction.allSatisfy(\.isASCIIDigit) else { return nil }
            remainder = UInt64(fraction + String(repeating: "0", count: 3 - fraction.count)) ?? 0
        }
        let (scaled, overflow) = sats.multipliedReportingOverflow(by: 1000)
        let (magnitude, carry) = scaled.addingReportingOverflow(remainder)
        guard !overflow, !carry else { return nil }
        if negative { return magnitude <= Int64.min.magnitude ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// `value` with a comma between each group of three digits.
    static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}

extension Character {
    /// 0-9 only (`isNumber` also accepts other scripts' digits).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
