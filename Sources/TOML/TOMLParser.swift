/// A strict TOML 1.0 parser over UTF-8 bytes: one pass, no backtracking, every error at its exact line and column.
///
/// The document structure (lines, keys, headers, arrays, inline tables) is here; strings, numbers and the rules for
/// defining tables are in extensions beside it.
struct TOMLParser {
    /// The deepest nesting of tables, arrays and inline tables accepted, so hostile input cannot exhaust the stack.
    static let maxDepth = 128

    /// A key segment as written, with the offset of its first byte for error messages.
    struct KeySegment {
        let name: String
        let offset: Int
    }

    let bytes: [UInt8]
    var position = 0
    let root = TableNode(origin: .header, depth: 0, path: "")
    /// The table that key-value lines go into: the root or the last header's table.
    var section: TableNode

    init(bytes: [UInt8]) {
        self.bytes = bytes
        section = root
    }

    /// Parses the whole document.
    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            position = 3
        }
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case .hash, .newline, .carriageReturn:
                break
            case .openBracket:
                try parseHeader()
            default:
                try parseKeyValue(into: section)
            }
            try finishLine()
        }
        return root.makeTable()
    }

    // MARK: Lines, whitespace, comments

    func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    mutating func skipWhitespace() {
        while let byte = peek(), byte == .space || byte == .tab {
            position += 1
        }
    }

    /// Skips a comment from its `#` to the end of its line, refusing control characters in it.
    mutating func skipComment() throws(TOMLError) {
        position += 1
        while let byte = peek(), byte != .newline {
            if byte == .carriageReturn && peek(1) == .newline {
                return
            }
            if byte.isControl {
                throw error(.invalidCharacter, "control character in a comment", at: position)
            }
            position += 1
        }
    }

    /// Consumes a line ending (LF or CRLF) if there is one; returns whether it did. A lone CR is an error.
    mutating func skipNewline() throws(TOMLError) -> Bool {
        switch peek() {
        case .newline:
            position += 1
            return true
        case .carriageReturn:
            guard peek(1) == .newline else {
                throw error(.invalidCharacter, "carriage return not followed by a line feed", at: position)
            }
            position += 2
            return true
        default:
            return false
        }
    }

    /// After a key-value pair or header: optional whitespace and comment, then the end of the line or document.
    mutating func finishLine() throws(TOMLError) {
        skipWhitespace()
        if peek() == .hash {
            try skipComment()
        }
        if peek() == nil {
            return
        }
        if try skipNewline() {
            return
        }
        throw error(.unexpectedCharacter, "expected the end of the line", at: position)
    }

    /// Skips whitespace, line endings and comments, as allowed between array elements.
    mutating func skipWhitespaceCommentsAndNewlines() throws(TOMLError) {
        while true {
            skipWhitespace()
            if peek() == .hash {
                try skipComment()
            }
            guard try skipNewline() else { return }
        }
    }

    // MARK: Keys

    /// Parses a possibly dotted key with the whitespace around it: `a`, `"a b".c`, `a . 'b'`.
    mutating func parseKey() throws(TOMLError) -> [KeySegment] {
        var segments: [KeySegment] = []
        repeat {
            skipWhitespace()
            let start = position
            guard let byte = peek() else {
                throw error(.unexpectedEnd, "expected a key", at: position)
            }
            let name: String
            switch byte {
            case .quote where peek(1) == .quote && peek(2) == .quote,
                .apostrophe where peek(1) == .apostrophe && peek(2) == .apostrophe:
                throw error(.unexpectedCharacter, "a multi-line string cannot be a key", at: start)
            case .quote:
                name = try parseBasicString(keyPath: nil)
            case .apostrophe:
                name = try parseLiteralString(keyPath: nil)
            case _ where KeyPathText.isBareKeyByte(byte):
                while let next = peek(), KeyPathText.isBareKeyByte(next) {
                    position += 1
                }
                name = String(decoding: bytes[start..<position], as: UTF8.self)
            case .newline, .carriageReturn:
                throw error(.unexpectedCharacter, "expected a key, found the end of the line", at: start)
            default:
                throw error(.unexpectedCharacter, "expected a key", at: start)
            }
            segments.append(KeySegment(name: name, offset: start))
            skipWhitespace()
        } while consume(.dot)
        return segments
    }

    /// Consumes `byte` if it is next; returns whether it was.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// Parses `key = value` and stores the value in `table` (a section or an inline table).
    mutating func parseKeyValue(into table: TableNode) throws(TOMLError) {
        let segments = try parseKey()
        let (target, keyPath) = try prepareAssignment(segments, in: table)
        guard consume(.equals) else {
            if peek() == nil {
                throw error(.unexpectedEnd, "expected '=' after key \(keyPath)", at: position, keyPath: keyPath)
            }
            throw error(.unexpectedCharacter, "expected '=' after key \(keyPath)", at: position, keyPath: keyPath)
        }
        skipWhitespace()
        let value = try parseValue(keyPath: keyPath, depth: target.depth + 1)
        target.insert(.value(value), for: segments.last!.name)
    }

    /// Parses `[a.b]` or `[[a.b]]` and makes its table the current section.
    mutating func parseHeader() throws(TOMLError) {
        let isArray = peek(1) == .openBracket
        position += isArray ? 2 : 1
        let segments = try parseKey()
        let closing = isArray ? "']]'" : "']'"
        guard consume(.closeBracket), !isArray || consume(.closeBracket) else {
            let code: TOMLError.Code = peek() == nil ? .unexpectedEnd : .unexpectedCharacter
            throw error(code, "expected \(closing) to close the table header", at: position)
        }
        section = try openHeader(segments, isArray: isArray)
    }

    // MARK: Values

    /// Parses the value for `keyPath` at the current position.
    mutating func parseValue(keyPath: String, depth: Int) throws(TOMLError) -> TOMLValue {
        guard let byte = peek() else {
            throw error(.unexpectedEnd, "expected a value for key \(keyPath)", at: position, keyPath: keyPath)
        }
        switch byte {
        case .quote:
            return .string(try parseBasicString(keyPath: keyPath))
        case .apostrophe:
            return .string(try parseLiteralString(keyPath: keyPath))
        case .openBracket:
            return try parseArray(keyPath: keyPath, depth: depth)
        case .openBrace:
            return try parseInlineTable(keyPath: keyPath, depth: depth)
        case _
        where byte.isASCIIDigit || byte == .plus || byte == .minus || byte == UInt8(ascii: "t")
            || byte == UInt8(ascii: "f") || byte == UInt8(ascii: "i") || byte == UInt8(ascii: "n"):
            return try parseScalarToken(keyPath: keyPath)
        default:
            throw error(.unexpectedCharacter, "expected a value for key \(keyPath)", at: position, keyPath: keyPath)
        }
    }

    /// Parses `[ v, v, ... ]`, where line endings, comments and a trailing comma may appear between elements.
    mutating func parseArray(keyPath: String, depth: Int) throws(TOMLError) -> TOMLValue {
        let start = position
        try checkDepth(depth, at: start, keyPath: keyPath)
        position += 1
        var elements: [TOMLValue] = []
        while true {
            try skipWhitespaceCommentsAndNewlines()
            if consume(.closeBracket) {
                return .array(elements)
            }
            let elementPath = KeyPathText.appending(index: elements.count, to: keyPath)
            elements.append(try parseValue(keyPath: elementPath, depth: depth + 1))
            try skipWhitespaceCommentsAndNewlines()
            if consume(.closeBracket) {
                return .array(elements)
            }
            guard consume(.comma) else {
                if peek() == nil {
                    throw error(
                        .unexpectedEnd, "the array for key \(keyPath) is not closed", at: start, keyPath: keyPath)
                }
                throw error(
                    .unexpectedCharacter, "expected ',' or ']' in the array for key \(keyPath)", at: position,
                    keyPath: keyPath)
            }
        }
    }

    /// Parses `{ k = v, ... }` on one line, with no trailing comma; the table is closed once parsed.
    mutating func parseInlineTable(keyPath: String, depth: Int) throws(TOMLError) -> TOMLValue {
        let start = position
        try checkDepth(depth, at: start, keyPath: keyPath)
        position += 1
        let table = TableNode(origin: .inline, depth: depth, path: keyPath)
        skipWhitespace()
        if consume(.closeBrace) {
            return .table(table.makeTable())
        }
        while true {
            try parseKeyValue(into: table)
            skipWhitespace()
            if consume(.closeBrace) {
                return .table(table.makeTable())
            }
            guard consume(.comma) else {
                if peek() == nil {
                    throw error(
                        .unexpectedEnd, "the inline table for key \(keyPath) is not closed", at: start,
                        keyPath: keyPath)
                }
                throw error(
                    .unexpectedCharacter, "expected ',' or '}' in the inline table for key \(keyPath)",
                    at: position, keyPath: keyPath)
            }
            skipWhitespace()
            if peek() == .closeBrace {
                throw error(
                    .unexpectedCharacter, "trailing comma in the inline table for key \(keyPath)", at: position,
                    keyPath: keyPath)
            }
        }
    }

    func checkDepth(_ depth: Int, at offset: Int, keyPath: String) throws(TOMLError) {
        guard depth <= Self.maxDepth else {
            throw error(
                .nestingTooDeep, "more than \(Self.maxDepth) levels of nesting at key \(keyPath)", at: offset,
                keyPath: keyPath)
        }
    }

    // MARK: Errors

    /// An error at byte `offset`, with its 1-based line and column (in Unicode scalars).
    func error(_ code: TOMLError.Code, _ detail: String, at offset: Int, keyPath: String? = nil) -> TOMLError {
        var line = 1
        var column = 1
        let bomLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        for byte in bytes[min(bomLength, offset)..<min(offset, bytes.count)] {
            if byte == .newline {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return TOMLError(code, detail, keyPath: keyPath, line: line, column: column)
    }
}
