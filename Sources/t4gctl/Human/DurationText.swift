/// Durations for people: seconds as `1d 2h 3m 4s` (zero units left out, `0s` for none), and back.
enum DurationText {
    private static let units: [(suffix: Character, seconds: Int64)] = [
        ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1),
    ]

    /// `seconds` as `1h 2m`, `45s`, `2d 3h 0m 5s` without the zero units, `-5m` when negative.
    static func format(seconds: Int64) -> String {
        var rest = seconds.magnitude
        var parts: [String] = []
        for unit in units where rest >= UInt64(unit.seconds) {
            parts.append("\(rest / UInt64(unit.seconds))\(unit.suffix)")
            rest %= UInt64(unit.seconds)
        }
        if parts.isEmpty { return "0s" }
        return (seconds < 0 ? "-" : "") + parts.joined(separator: " ")
    }

    /// The seconds of `1h 2m`, `1h2m`, `90s`, `-24h`, `2w` (spaces optional, units d h m s and w for weeks);
    /// nil when it is not a duration or does not fit 64 bits.
    static func parse(_ text: String) -> Int64? {
        var rest = Substring(text)
        let negative = rest.first == "-"
        if negative || rest.first == "+" { rest = rest.dropFirst() }
        var total: Int64 = 0
        var sawUnit = false
        while let first = rest.first {
            if first == " " {
                rest = rest.dropFirst()
                continue
            }
            let digits = rest.prefix(while: \.isASCIIDigit)
            rest = rest.dropFirst(digits.count)
            guard let number = Int64(digits), let suffix = rest.first, let unit = unitSeconds(suffix) else {
                return nil
            }
            rest = rest.dropFirst()
            let (part, overflow) = number.multipliedReportingOverflow(by: unit)
            let (sum, carry) = total.addingReportingOverflow(part)
            guard !overflow, !carry else { return nil }
            total = sum
            sawUnit = true
        }
        guard sawUnit else { return nil }
        return negative ? -total : total
    }

    private static func unitSeconds(_ suffix: Character) -> Int64? {
        suffix == "w" ? 604_800 : units.first { $0.suffix == suffix }?.seconds
    }
}
