extension TOMLTable {
    /// Parses a TOML document.
    ///
    /// - Throws: ``TOMLError`` with the line and column of the first problem.
    public init(parsing text: String) throws(TOMLError) {
        var parser = TOMLParser(bytes: Array(text.utf8))
        self = try parser.parseDocument()
    }

    /// Parses a TOML document from its UTF-8 bytes, as read from a file.
    ///
    /// - Throws: ``TOMLError`` with code ``TOMLError/Code/invalidUTF8`` for bytes that are not UTF-8, else as
    ///   parsing a `String` does.
    public init(parsing utf8: [UInt8]) throws(TOMLError) {
        var parser = TOMLParser(bytes: utf8)
        if let offset = Self.firstInvalidUTF8Offset(in: utf8) {
            throw parser.error(.invalidUTF8, "the document is not valid UTF-8", at: offset)
        }
        self = try parser.parseDocument()
    }

    /// The offset of the first byte that does not begin a well-formed UTF-8 sequence, if any.
    private static func firstInvalidUTF8Offset(in bytes: [UInt8]) -> Int? {
        var offset = 0
        while offset < bytes.count {
            let lead = bytes[offset]
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, lower) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, upper) = (3, 0x9F)
            case 0xF0: (length, lower) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, upper) = (4, 0x8F)
            default: return offset
            }
            guard offset + length <= bytes.count else { return offset }
            for index in offset + 1..<offset + length {
                let (low, high) = index == offset + 1 ? (lower, upper) : (0x80, 0xBF)
                guard bytes[index] >= low && bytes[index] <= high else { return offset }
            }
            offset += length
        }
        return nil
    }
}
