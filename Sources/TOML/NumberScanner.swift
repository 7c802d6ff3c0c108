/// Checks one number token against the TOML 1.0 integer and float grammars and converts it.
struct NumberScanner {
    /// Why a token is not a number, and at which byte.
    struct Failure: Error {
        enum Kind {
            case malformed(String)
            case outOfRange
        }

        let kind: Kind
        let offset: Int
    }

    private let bytes: [UInt8]
    private let range: Range<Int>
    private var index: Int

    init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.range = range
        index = range.lowerBound
    }

    /// `1979-05-27...` (four digits and a dash) or `07:32...` (two digits and a colon).
    var looksLikeDateOrTime: Bool {
        let digits = bytes[range].prefix { $0.isASCIIDigit }.count
        let next = range.lowerBound + digits < range.upperBound ? bytes[range.lowerBound + digits] : nil
        return (digits == 4 && next == .minus) || (digits == 2 && next == .colon)
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < range.upperBound ? bytes[index + offset] : nil
    }

    private func fail(_ reason: String, at offset: Int? = nil) -> Failure {
        Failure(kind: .malformed(reason), offset: offset ?? index)
    }

    mutating func scan() throws(Failure) -> TOMLValue {
        let start = index
        let sign = peek()
        if sign == .plus || sign == .minus {
            index += 1
        }
        if peek() == UInt8(ascii: "0"), let radix = Self.radix(forPrefix: peek(1)) {
            guard index == start else {
                throw fail("a sign before a hexadecimal, octal or binary prefix", at: start)
            }
            index += 2
            return .integer(try scanPrefixedInteger(radix: radix))
        }
        let integerStart = index
        try scanDigits(radix: 10)
        if bytes[integerStart] == UInt8(ascii: "0") && index - integerStart > 1 {
            throw fail("a leading zero", at: integerStart)
        }
        var isFloat = false
        if peek() == .dot {
            isFloat = true
            index += 1
            try scanDigits(radix: 10)
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isFloat = true
            index += 1
            if peek() == .plus || peek() == .minus {
                index += 1
            }
            try scanDigits(radix: 10)
        }
        guard index == range.upperBound else {
            throw fail("an unexpected character")
        }
        let digits = String(decoding: bytes[start..<index].lazy.filter { $0 != .underscore }, as: UTF8.self)
        if isFloat {
            guard let value = Double(digits), value.isFinite else {
                throw Failure(kind: .outOfRange, offset: start)
            }
            return .float(value)
        }
        guard let value = Int64(digits) else {
            throw Failure(kind: .outOfRange, offset: start)
        }
        return .integer(value)
    }

    /// Scans `digit (_? digit)*` in `radix`, refusing an underscore that is not between two digits.
    private mutating func scanDigits(radix: UInt8) throws(Failure) {
        guard let first = peek(), Self.digitValue(first, radix: radix) != nil else {
            throw fail(peek() == .underscore ? "an underscore not between digits" : "a missing digit")
        }
        index += 1
        while let byte = peek() {
            if byte == .underscore {
                guard let next = peek(1), Self.digitValue(next, radix: radix) != nil else {
                    throw fail("an underscore not between digits")
                }
                index += 2
            } else if Self.digitValue(byte, radix: radix) != nil {
                index += 1
            } else {
                return
            }
        }
    }

    /// Scans the digits after `0x`, `0o` or `0b`; the value must fit in `Int64`.
    private mutating func scanPrefixedInteger(radix: UInt8) throws(Failure) -> Int64 {
        let start = index - 2
        let digitsStart = index
        try scanDigits(radix: radix)
        if let byte = peek() {
            let isDigit = Self.digitValue(byte, radix: 16) != nil
            throw fail(isDigit ? "a digit too large for its base" : "an unexpected character")
        }
        var value: Int64 = 0
        for byte in bytes[digitsStart..<index] where byte != .underscore {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: Int64(radix))
            let (sum, carry) = shifted.addingReportingOverflow(Int64(Self.digitValue(byte, radix: radix)!))
            guard !overflow, !carry else {
                throw Failure(kind: .outOfRange, offset: start)
            }
            value = sum
        }
        return value
    }

    private static func radix(forPrefix byte: UInt8?) -> UInt8? {
        switch byte {
        case UInt8(ascii: "x"): 16
        case UInt8(ascii: "o"): 8
        case UInt8(ascii: "b"): 2
        default: nil
        }
    }

    private static func digitValue(_ byte: UInt8, radix: UInt8) -> UInt8? {
        guard let value = TOMLParser.hexValue(byte), value < radix else { return nil }
        return value
    }
}
