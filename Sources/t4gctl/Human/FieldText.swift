import Foundation
import JSONRPC

/// One value of a result, written for people by what its field name says it holds (rpc.md's conventions):
/// `*_msat` and `*_sat` amounts, `*_at` times, `*_s` durations, `*_ms` milliseconds, `status`/`state` words coloured on a terminal,
/// strings with their control characters escaped.
struct FieldText: Sendable {
    /// Colours or none.
    var style: TerminalStyle
    /// The time relative hints count from (Unix seconds).
    var now: Int64
    /// Where times are shown.
    var timeZone: TimeZone = .current

    /// The plain text of `value` in field `key` (no colours); times with their relative hint when `withHint`.
    func plain(_ key: String, _ value: JSONValue, withHint: Bool = true) -> String {
        switch value {
        case .null: return "-"
        case .string(let text): return TerminalText.escaped(text)
        case .integer(let number):
            if key.hasSuffix("_msat") { return AmountText.format(msat: number) }
            if key.hasSuffix("_sat"), let text = AmountText.format(sat: number) { return text }
            if key.hasSuffix("_at") || key == "at" || key == "timestamp" {
                return TimeText.format(unixSeconds: number, now: withHint ? now : nil, timeZone: timeZone)
            }
            if key.hasSuffix("_s") { return DurationText.format(seconds: number) }
            if key.hasSuffix("_ms") { return "\(number) ms" }
            return "\(number)"
        case .number(let number) where key.hasSuffix("_ms"):
            return String(format: "%.1f ms", number)
        default: return TerminalText.escaped(String(decoding: value.serialized(), as: UTF8.self))
        }
    }

    /// `text` (the plain text of `value` in `key`, maybe padded) coloured when the field is a status.
    func styled(_ key: String, _ value: JSONValue, _ text: String) -> String {
        guard key == "status" || key == "state", let word = value.stringValue else { return text }
        return style.status(text, word: word)
    }

    /// The plain text, styled.
    func text(_ key: String, _ value: JSONValue) -> String { styled(key, value, plain(key, value)) }
}
