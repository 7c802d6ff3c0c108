/// Text from the daemon made safe for a terminal: control characters (C0, DEL, C1) and the invisible
/// bidirectional controls are written as escapes, so an invoice's author cannot move the cursor, recolour,
/// retitle or reorder the operator's screen. Only human output goes through it; `--json` stays exact.
enum TerminalText {
    /// `text` with `\n`, `\t`, `\r`, `\x1B`, `\u{202E}`… in place of the characters they name.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x80 && needsEscape(scalar): result += "\\x" + hex(scalar.value, width: 2)
            case _ where needsEscape(scalar): result += "\\u{" + hex(scalar.value, width: 4) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 controls, DEL, C1 controls and the bidirectional marks, embeddings, overrides and isolates.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
