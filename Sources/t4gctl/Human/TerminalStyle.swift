import Foundation

/// Whether human output is coloured: only when it goes to a terminal, never with `NO_COLOR` set (non-empty,
/// https://no-color.org) or `TERM=dumb`.
struct TerminalStyle: Sendable {
    /// Colours are written.
    let colours: Bool

    /// The style for a file descriptor (stdout by default) and an environment.
    static func detect(
        fileDescriptor: Int32 = STDOUT_FILENO, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> TerminalStyle {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb"
        return TerminalStyle(colours: isatty(fileDescriptor) == 1 && !noColor)
    }

    /// A status word coloured by its meaning: green when done well, yellow while waiting, red when it went
    /// wrong; unchanged without colours or for a word of no known meaning.
    func status(_ text: String, word: String) -> String {
        guard colours, let code = Self.colourCodes[word] else { return text }
        return "\u{1B}[\(code)m" + text + "\u{1B}[0m"
    }

    private static let colourCodes: [String: Int] = [
        "ok": 32, "paid": 32, "succeeded": 32, "settled": 32, "valid": 32, "redeemed": 32,
        "open": 33, "pending": 33, "degraded": 33, "in_flight": 33, "running": 33,
        "failed": 31, "expired": 31, "canceled": 31, "down": 31, "error": 31, "revoked": 31, "invalid": 31,
    ]
}
