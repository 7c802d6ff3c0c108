extension JSONValue {
    /// Parses exactly one JSON text (RFC 8259) from UTF-8 bytes.
    ///
    /// Strict: invalid UTF-8, lone surrogates, raw control characters in strings, duplicate keys,
    /// numbers that overflow a `Double`, nesting deeper than `limits.maxDepth` and anything but
    /// whitespace after the value are errors. Runs in time linear in the input and never traps.
    ///
    /// - Throws: ``JSONParseError`` naming the problem and its byte offset.
    public static func parse(
        _ bytes: some Collection<UInt8>,
        limits: JSONParseLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: Array(bytes), limits: limits)
        return try parser.parseDocument()
    }

    /// Parses exactly one JSON text from a string; see ``parse(_:limits:)-(Collection<UInt8>,_)``.
    public static func parse(_ text: String, limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }
}

/// A recursive-descent RFC 8259 parser; recursion is bounded by ``JSONParseLimits/maxDepth``.
struct JSONParser {
    private let bytes: [UInt8]
    private let limits: JSONParseLimits
    private var position = 0
    private var scratch: [UInt8] = []

    init(bytes: [UInt8], limits: JSONParseLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard position == bytes.count else { throw failure(.trailingData) }
        return value
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else { throw failure(.unexpectedEnd) }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw failure(.unexpectedByte)
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= limits.maxDepth else { throw failure(.depthLimitExceeded) }
        position += 1
        var object = JSONObject()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            position += 1
            return .object(object)
        }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw failure(.unexpectedByte) }
            let keyOffset = position
            let key = try parseString()
            guard object[key] == nil else { throw JSONParseError(code: .duplicateKey, offset: keyOffset) }
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            _ = object.appendNew(key: key, value: try parseValue(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                position += 1
                return .object(object)
            default:
                throw failure(.unexpectedByte)
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= limits.maxDepth else { throw failure(.depthLimitExceeded) }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default:
                throw failure(.unexpectedByte)
            }
        }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        let start = position
        var segmentStart = position
        var hasEscapes = false
        scratch.removeAll(keepingCapacity: true)
        while true {
            guard position < bytes.count else { throw failure(.unexpectedEnd) }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                let string: String
                if hasEscapes {
                    scratch.append(contentsOf: bytes[segmentStart..<position])
                    string = String(decoding: scratch, as: UTF8.self)
                } else {
                    string = String(decoding: bytes[start..<position], as: UTF8.self)
                }
                position += 1
                return string
            case UInt8(ascii: "\\"):
                hasEscapes = true
                scratch.append(contentsOf: bytes[segmentStart..<position])
                try parseEscape()
                segmentStart = position
            case 0..<0x20:
                throw failure(.controlCharacter)
            case 0x20..<0x80:
                position += 1
            default:
                try skipMultiByteScalar()
            }
        }
    }

    /// Decodes the escape at `position` (a backslash) into `scratch`.
    private mutating func parseEscape() throws(JSONParseError) {
        guard position + 1 < bytes.count else { throw failure(.unexpectedEnd) }
        let escaped: UInt8
        switch bytes[position + 1] {
        case UInt8(ascii: "\""): escaped = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): escaped = UInt8(ascii: "/")
        case UInt8(ascii: "b"): escaped = 0x08
        case UInt8(ascii: "f"): escaped = 0x0C
        case UInt8(ascii: "n"): escaped = 0x0A
        case UInt8(ascii: "r"): escaped = 0x0D
        case UInt8(ascii: "t"): escaped = 0x09
        case UInt8(ascii: "u"):
            try parseUnicodeEscape()
            return
        default:
            throw failure(.invalidEscape)
        }
        scratch.append(escaped)
        position += 2
    }

    /// Decodes `\uXXXX` (and the low half that must follow a high surrogate) into `scratch`.
    private mutating func parseUnicodeEscape() throws(JSONParseError) {
        let escapeOffset = position
        let first = try hexQuad(at: position + 2)
        position += 6
        let scalarValue: UInt32
        switch first {
        case 0xD800..<0xDC00:
            guard position + 1 < bytes.count,
                bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { throw JSONParseError(code: .loneSurrogate, offset: escapeOffset) }
            let second = try hexQuad(at: position + 2)
            guard (0xDC00..<0xE000).contains(second) else {
                throw JSONParseError(code: .loneSurrogate, offset: escapeOffset)
            }
            position += 6
            scalarValue = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        case 0xDC00..<0xE000:
            throw JSONParseError(code: .loneSurrogate, offset: escapeOffset)
        default:
            scalarValue = first
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw JSONParseError(code: .invalidEscape, offset: escapeOffset)
        }
        UTF8.encode(scalar) { scratch.append($0) }
    }

    private func hexQuad(at offset: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for index in offset..<(offset + 4) {
            guard index < bytes.count else { throw JSONParseError(code: .unexpectedEnd, offset: index) }
            let digit: UInt8
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = bytes[index] - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = bytes[index] - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = bytes[index] - UInt8(ascii: "A") + 10
            default: throw JSONParseError(code: .invalidEscape, offset: index)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Validates one multi-byte UTF-8 sequence (Unicode table 3-7) and steps over it.
    private mutating func skipMultiByteScalar() throws(JSONParseError) {
        let lead = bytes[position]
        let secondRange: ClosedRange<UInt8>
        let length: Int
        switch lead {
        case 0xC2...0xDF: (secondRange, length) = (0x80...0xBF, 2)
        case 0xE0: (secondRange, length) = (0xA0...0xBF, 3)
        case 0xE1...0xEC, 0xEE...0xEF: (secondRange, length) = (0x80...0xBF, 3)
        case 0xED: (secondRange, length) = (0x80...0x9F, 3)
        case 0xF0: (secondRange, length) = (0x90...0xBF, 4)
        case 0xF1...0xF3: (secondRange, length) = (0x80...0xBF, 4)
        case 0xF4: (secondRange, length) = (0x80...0x8F, 4)
        default: throw failure(.invalidUTF8)
        }
        guard position + length <= bytes.count, secondRange.contains(bytes[position + 1]) else {
            throw failure(.invalidUTF8)
        }
        for index in (position + 2)..<(position + length) where !(0x80...0xBF).contains(bytes[index]) {
            throw failure(.invalidUTF8)
        }
        position += length
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") {
            position += 1
        }
        guard position < bytes.count else { throw failure(.unexpectedEnd) }
        switch bytes[position] {
        case UInt8(ascii: "0"):
            position += 1
            if position < bytes.count, isDigit(bytes[position]) { throw failure(.invalidNumber) }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            skipDigits()
        default:
            throw failure(.invalidNumber)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            try requireDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            try requireDigits()
        }
        let text = bytes[start..<position]
        if isInteger, let integer = Self.int64(fromDigits: text) {
            return .integer(integer)
        }
        guard let number = Double(String(decoding: text, as: UTF8.self)), number.isFinite else {
            throw JSONParseError(code: .numberOutOfRange, offset: start)
        }
        return .number(number)
    }

    /// The value of an optionally negative run of decimal digits, or `nil` if it overflows `Int64`.
    private static func int64(fromDigits text: ArraySlice<UInt8>) -> Int64? {
        let isNegative = text.first == UInt8(ascii: "-")
        var value: Int64 = 0
        for byte in text.dropFirst(isNegative ? 1 : 0) {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.subtractingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { return nil }
            value = next
        }
        if isNegative { return value }
        return value == .min ? nil : -value
    }

    private mutating func requireDigits() throws(JSONParseError) {
        guard position < bytes.count else { throw failure(.unexpectedEnd) }
        guard isDigit(bytes[position]) else { throw failure(.invalidNumber) }
        skipDigits()
    }

    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) {
            position += 1
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONParseError) {
        for expected in literal.utf8 {
            guard position < bytes.count else { throw failure(.unexpectedEnd) }
            guard bytes[position] == expected else { throw failure(.unexpectedByte) }
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard try peek() == byte else { throw failure(.unexpectedByte) }
        position += 1
    }

    private func peek() throws(JSONParseError) -> UInt8 {
        guard position < bytes.count else { throw failure(.unexpectedEnd) }
        return bytes[position]
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                position += 1
            default:
                return
            }
        }
    }

    private func failure(_ code: JSONParseError.Code) -> JSONParseError {
        JSONParseError(code: code, offset: position)
    }
}
