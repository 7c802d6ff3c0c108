extension TOMLParser {
    /// Parses a basic string (`"..."`) or, at `"""`, a multi-line basic string; the position is at the first quote.
    ///
    /// - Parameter keyPath: The key whose value this is, for messages; `nil` when the string is a quoted key.
    mutating func parseBasicString(keyPath: String?) throws(TOMLError) -> String {
        if peek(1) == .quote && peek(2) == .quote {
            return try parseMultiLineString(delimiter: .quote, keyPath: keyPath)
        }
        return try parseSingleLineString(delimiter: .quote, keyPath: keyPath)
    }

    /// Parses a literal string (`'...'`) or, at `'''`, a multi-line literal string; no escapes.
    mutating func parseLiteralString(keyPath: String?) throws(TOMLError) -> String {
        if peek(1) == .apostrophe && peek(2) == .apostrophe {
            return try parseMultiLineString(delimiter: .apostrophe, keyPath: keyPath)
        }
        return try parseSingleLineString(delimiter: .apostrophe, keyPath: keyPath)
    }

    /// Parses `"..."` (with escapes) or `'...'` (verbatim), which must close on the line they open.
    private mutating func parseSingleLineString(delimiter: UInt8, keyPath: String?) throws(TOMLError) -> String {
        let start = position
        position += 1
        var text: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case delimiter:
                position += 1
                return String(decoding: text, as: UTF8.self)
            case .backslash where delimiter == .quote:
                try parseEscape(into: &text, stringStart: start, keyPath: keyPath)
            case .newline, .carriageReturn:
                throw unterminated(at: start, keyPath: keyPath)
            default:
                try append(byte, to: &text, keyPath: keyPath)
            }
        }
        throw unterminated(at: start, keyPath: keyPath)
    }

    /// Parses `"""..."""` (with escapes and line-ending backslashes) or `'''...'''` (verbatim).
    ///
    /// A line ending right after the opening delimiter is dropped, CRLF becomes LF, and up to two quotes may
    /// directly precede the closing delimiter as part of the content.
    private mutating func parseMultiLineString(delimiter: UInt8, keyPath: String?) throws(TOMLError) -> String {
        let start = position
        position += 3
        _ = try skipNewline()
        var text: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case delimiter:
                var run = 0
                while peek(run) == delimiter {
                    run += 1
                }
                guard run >= 3 else {
                    text.append(contentsOf: repeatElement(delimiter, count: run))
                    position += run
                    continue
                }
                guard run <= 5 else {
                    throw error(
                        .unexpectedCharacter, "too many quotes closing the string\(Self.forKey(keyPath))",
                        at: position + 5, keyPath: keyPath)
                }
                text.append(contentsOf: repeatElement(delimiter, count: run - 3))
                position += run
                return String(decoding: text, as: UTF8.self)
            case .backslash where delimiter == .quote:
                if try !skipLineEndingBackslash() {
                    try parseEscape(into: &text, stringStart: start, keyPath: keyPath)
                }
            case .newline, .carriageReturn:
                _ = try skipNewline()
                text.append(.newline)
            default:
                try append(byte, to: &text, keyPath: keyPath)
            }
        }
        throw unterminated(at: start, keyPath: keyPath)
    }

    /// At a backslash in a multi-line basic string: if only whitespace follows it on its line, skips the backslash
    /// and all whitespace and line endings after it and returns true; otherwise leaves the position and returns
    /// false.
    private mutating func skipLineEndingBackslash() throws(TOMLError) -> Bool {
        var lookahead = 1
        while let byte = peek(lookahead), byte == .space || byte == .tab {
            lookahead += 1
        }
        guard peek(lookahead) == .newline || (peek(lookahead) == .carriageReturn && peek(lookahead + 1) == .newline)
        else {
            return false
        }
        position += lookahead
        while true {
            skipWhitespace()
            guard try skipNewline() else { return true }
        }
    }

    /// Parses one escape sequence at a backslash and appends its UTF-8 encoding.
    private mutating func parseEscape(into text: inout [UInt8], stringStart: Int, keyPath: String?) throws(TOMLError) {
        let start = position
        guard let letter = peek(1) else {
            throw unterminated(at: stringStart, keyPath: keyPath)
        }
        position += 2
        switch letter {
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "t"): text.append(.tab)
        case UInt8(ascii: "n"): text.append(.newline)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "r"): text.append(.carriageReturn)
        case .quote: text.append(.quote)
        case .backslash: text.append(.backslash)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = letter == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for _ in 0..<digits {
                guard let digit = peek().flatMap(Self.hexValue) else {
                    throw error(
                        .invalidEscape,
                        "\\\(Character(Unicode.Scalar(letter))) needs \(digits) hex digits"
                            + Self.inString(keyPath), at: start, keyPath: keyPath)
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw error(
                    .invalidEscape, "escape is not a Unicode scalar value" + Self.inString(keyPath), at: start,
                    keyPath: keyPath)
            }
            UTF8.encode(scalar) { text.append($0) }
        default:
            throw error(.invalidEscape, "unknown escape sequence" + Self.inString(keyPath), at: start, keyPath: keyPath)
        }
    }

    /// Appends a byte of string content, refusing control characters other than tab.
    private mutating func append(_ byte: UInt8, to text: inout [UInt8], keyPath: String?) throws(TOMLError) {
        if byte.isControl {
            throw error(
                .invalidCharacter, "control character" + Self.inString(keyPath) + "; use an escape sequence",
                at: position, keyPath: keyPath)
        }
        text.append(byte)
        position += 1
    }

    private func unterminated(at start: Int, keyPath: String?) -> TOMLError {
        error(.unterminatedString, "string is not closed" + Self.forKey(keyPath), at: start, keyPath: keyPath)
    }

    private static func inString(_ keyPath: String?) -> String {
        keyPath.map { " in the string for key \($0)" } ?? " in a quoted key"
    }

    private static func forKey(_ keyPath: String?) -> String {
        keyPath.map { " for key \($0)" } ?? " in a quoted key"
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
