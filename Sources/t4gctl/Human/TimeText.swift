import Foundation

/// Times for people: Unix seconds as local ISO 8601 (`2026-12-07 01:40:27 +00:00`) with a relative hint
/// (`(in 59 min)`, `(3 h ago)`), and back from ISO 8601 dates and times, relative forms (`-24h`) or Unix seconds.
enum TimeText {
    /// The latest time written as a date: 9999-12-31 23:59:59 UTC (later ones stay Unix seconds).
    static let latestDate: Int64 = 253_402_300_799

    /// `unixSeconds` as `yyyy-MM-dd HH:mm:ss ±hh:mm` in `timeZone`, with the hint relative to `now` when given;
    /// a time before 1970 or after 9999 stays its number of seconds.
    static func format(unixSeconds: Int64, now: Int64? = nil, timeZone: TimeZone = .current) -> String {
        guard (0...latestDate).contains(unixSeconds) else { return "\(unixSeconds)" }
        let text = formatter("yyyy-MM-dd HH:mm:ss xxxxx", timeZone).string(
            from: Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
        guard let now else { return text }
        return text + " (" + relative(unixSeconds - now) + ")"
    }

    /// `in 59 min`, `3 h ago`, `in 2 d`, `now`: how far `seconds` from now is, coarsely.
    static func relative(_ seconds: Int64) -> String {
        let distance = seconds.magnitude
        let amount: String
        switch distance {
        case 0: return "now"
        case ..<60: amount = "\(distance) s"
        case ..<3_600: amount = "\(distance / 60) min"
        case ..<172_800: amount = "\(distance / 3_600) h"
        default: amount = "\(distance / 86_400) d"
        }
        return seconds > 0 ? "in " + amount : amount + " ago"
    }

    /// The Unix seconds of a time option: digits are Unix seconds; `-24h`, `+1d 2h` are relative to `now`;
    /// else an ISO 8601 date (`2026-12-01`, local midnight) or time (`2026-12-01 10:00`, `2026-12-01T10:00:00Z`,
    /// `2026-12-01 10:00:00 +01:00`, local time without a zone), with or without the hint ``format`` adds.
    static func parse(_ text: String, now: Int64, timeZone: TimeZone = .current) -> Int64? {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix(")"), let open = text.range(of: " (", options: .backwards) {
            text = String(text[..<open.lowerBound])
        }
        if !text.isEmpty, text.allSatisfy(\.isASCIIDigit) { return Int64(text) }
        if text.first == "-" || text.first == "+" {
            guard let offset = DurationText.parse(text) else { return nil }
            let (time, overflow) = now.addingReportingOverflow(offset)
            return overflow ? nil : time
        }
        let normalized = text.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " +00:00")
        for pattern in patterns {
            if let date = formatter(pattern, timeZone).date(from: normalized) {
                return Int64(date.timeIntervalSince1970.rounded(.down))
            }
        }
        return nil
    }

    private static let patterns = [
        "yyyy-MM-dd HH:mm:ss xxxxx", "yyyy-MM-dd HH:mm:ssxxxxx", "yyyy-MM-dd HH:mm:ss xx", "yyyy-MM-dd HH:mm:ssxx",
        "yyyy-MM-dd HH:mm xxxxx", "yyyy-MM-dd HH:mmxxxxx", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
    ]

    private static func formatter(_ pattern: String, _ timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.isLenient = false
        formatter.dateFormat = pattern
        return formatter
    }
}
