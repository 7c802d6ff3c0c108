extension TOMLParser {
    /// Parses a boolean, integer or float; refuses dates and times as unsupported.
    ///
    /// The token is the run of characters that can appear in any of these (`0-9A-Za-z_+-.:`); it is then checked
    /// against the grammar of the type it looks like, and an error points at its first offending character.
    mutating func parseScalarToken(keyPath: String) throws(TOMLError) -> TOMLValue {
        let start = position
        while let byte = peek(), KeyPathText.isBareKeyByte(byte) || byte == .plus || byte == .dot || byte == .colon {
            position += 1
        }
        let token = bytes[start..<position]
        switch String(decoding: token, as: UTF8.self) {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        var number = NumberScanner(bytes: bytes, range: start..<position)
        if number.looksLikeDateOrTime {
            throw error(
                .unsupportedValue, "dates and times are not supported (key \(keyPath)); use a string", at: start,
                keyPath: keyPath)
        }
        guard let first = token.first, first.isASCIIDigit || first == .plus || first == .minus else {
            throw error(.unexpectedCharacter, "expected a value for key \(keyPath)", at: start, keyPath: keyPath)
        }
        do {
            return try number.scan()
        } catch {
            switch error.kind {
            case .malformed(let reason):
                throw self.error(
                    .invalidNumber, "\(reason) in the number for key \(keyPath)", at: error.offset, keyPath: keyPath)
            case .outOfRange:
                throw self.error(
                    .numberOutOfRange, "the number for key \(keyPath) is out of range", at: error.offset,
                    keyPath: keyPath)
            }
        }
    }
}
