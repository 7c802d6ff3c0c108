/// Bech32 and Bech32m (BIP173, BIP350) without BIP173's 90-character limit, which BOLT #11 lifts.
enum Bech32 {
    enum Variant {
        case bech32, bech32m

        var constant: UInt32 { self == .bech32 ? 1 : 0x2bc8_30a3 }
    }

    static let alphabet: [UInt8] = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    /// The 5-bit value of each ASCII byte, or 0xff when it is not in the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
            if character >= UInt8(ascii: "a") { table[Int(character) - 32] = UInt8(value) }
        }
        return table
    }()

    /// Splits and checks a Bech32 string: returns its lowercase human-readable part and its data words
    /// (checksum removed).
    static func decode(_ string: String, variant: Variant) throws(BOLT11Error) -> (hrp: [UInt8], words: [UInt8]) {
        let bytes = Array(string.utf8)
        // One branch-free pass over all bytes (the compiler vectorises it): bit 0 marks a lowercase
        // letter, bit 1 an uppercase letter, bit 2 a byte outside 33...126.
        var classes: UInt8 = 0
        for byte in bytes {
            let lower: UInt8 = byte &- UInt8(ascii: "a") < 26 ? 1 : 0
            let upper: UInt8 = byte &- UInt8(ascii: "A") < 26 ? 2 : 0
            let outside: UInt8 = byte &- 33 > 126 - 33 ? 4 : 0
            classes |= lower | upper | outside
        }
        guard classes & 4 == 0 else {
            throw BOLT11Error(.invalidCharacter, "character outside the printable ASCII range")
        }
        guard classes & 3 != 3 else { throw BOLT11Error(.mixedCase, "mixes upper and lower case") }
        let hasUpper = classes & 2 != 0
        guard let separator = bytes.lastIndex(of: UInt8(ascii: "1")) else {
            throw BOLT11Error(.noSeparator, "no '1' separates the human-readable part from the data")
        }
        guard separator > 0 else { throw BOLT11Error(.invalidHRP, "empty human-readable part") }
        let dataCount = bytes.count - separator - 1
        guard dataCount >= 6 else {
            throw BOLT11Error(.bech32TooShort, "data part shorter than its 6-character checksum")
        }
        let hrp = hasUpper ? bytes[..<separator].map { $0 | 0x20 } : Array(bytes[..<separator])
        let table = values
        let generators = Self.generators
        var invalid: UInt8 = 0
        var checksum = hrpChecksum(hrp, generators)
        let words = [UInt8](unsafeUninitializedCapacity: dataCount) { words, initialized in
            for index in 0..<dataCount {
                let value = table[Int(bytes[separator + 1 + index])]
                invalid |= value
                words[index] = value
                checksum = polymodStep(checksum, value, generators)
            }
            // Drops the checksum words; an invalid character (0xff) fails below.
            initialized = dataCount - 6
        }
        guard invalid & 0xe0 == 0 else {
            let byte = bytes[(separator + 1)...].first { table[Int($0)] == 0xff }!
            throw BOLT11Error(.invalidCharacter, "'\(Character(Unicode.Scalar(byte)))' is not a bech32 character")
        }
        guard checksum == variant.constant else {
            throw BOLT11Error(.badChecksum, "bech32 checksum does not match")
        }
        return (hrp, words)
    }

    /// Encodes a human-readable part and data words, appending the checksum.
    static func encode(hrp: [UInt8], words: [UInt8], variant: Variant) -> String {
        let generators = Self.generators
        var checksum = hrpChecksum(hrp, generators)
        for word in words { checksum = polymodStep(checksum, word, generators) }
        for _ in 0..<6 { checksum = polymodStep(checksum, 0, generators) }
        checksum ^= variant.constant
        let table = alphabet
        let count = hrp.count + 1 + words.count + 6
        return String(unsafeUninitializedCapacity: count) { characters in
            var index = 0
            for byte in hrp {
                characters[index] = byte
                index += 1
            }
            characters[index] = UInt8(ascii: "1")
            index += 1
            for word in words {
                characters[index] = table[Int(word)]
                index += 1
            }
            for shift in stride(from: 25, through: 0, by: -5) {
                characters[index] = table[Int((checksum >> UInt32(shift)) & 31)]
                index += 1
            }
            return count
        }
    }

    /// The checksum state after the expanded human-readable part (BIP173 `hrp_expand`).
    private static func hrpChecksum(_ hrp: [UInt8], _ generators: [UInt32]) -> UInt32 {
        var checksum: UInt32 = 1
        for byte in hrp { checksum = polymodStep(checksum, byte >> 5, generators) }
        checksum = polymodStep(checksum, 0, generators)
        for byte in hrp { checksum = polymodStep(checksum, byte & 31, generators) }
        return checksum
    }

    /// The XOR of BIP173's generator constants selected by each 5-bit value of the checksum's top bits.
    private static let generators: [UInt32] = (0..<32).map { (top: Int) -> UInt32 in
        let constants: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var combined: UInt32 = 0
        for (bit, constant) in constants.enumerated() where top >> bit & 1 == 1 { combined ^= constant }
        return combined
    }

    /// One step of BIP173's `polymod`: feeds the 5-bit `value` into `checksum`. `generators` is
    /// ``generators``, read once by the caller.
    @inline(__always)
    private static func polymodStep(_ checksum: UInt32, _ value: UInt8, _ generators: [UInt32]) -> UInt32 {
        (checksum & 0x1ff_ffff) << 5 ^ UInt32(value) ^ generators[Int(checksum >> 25)]
    }
}

/// Regrouping between 8-bit bytes and 5-bit words.
enum WordConversion {
    /// Packs 5-bit words into bytes, behind `prefix`. Trailing bits that do not fill a byte are dropped,
    /// or, with `padded`, completed with zero bits into a last byte (as BOLT #11's signature hash wants).
    static func bytes(fromWords words: some Collection<UInt8>, padded: Bool = false, after prefix: [UInt8] = [])
        -> [UInt8]
    {
        let totalBits = words.count * 5
        let count = prefix.count + (padded ? (totalBits + 7) / 8 : totalBits / 8)
        return [UInt8](unsafeUninitializedCapacity: count) { bytes, initialized in
            var index = 0
            for byte in prefix {
                bytes[index] = byte
                index += 1
            }
            var accumulator: UInt32 = 0
            var bits = 0
            for word in words {
                accumulator = accumulator << 5 | UInt32(word)
                bits += 5
                if bits >= 8 {
                    bits -= 8
                    bytes[index] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                    index += 1
                }
            }
            if padded, bits > 0 {
                bytes[index] = UInt8(truncatingIfNeeded: accumulator << UInt32(8 - bits))
                index += 1
            }
            initialized = index
        }
    }

    /// Splits bytes into 5-bit words, zero-padding the last word.
    static func words(fromBytes bytes: some Collection<UInt8>) -> [UInt8] {
        var words = [UInt8]()
        append(bytes, to: &words)
        return words
    }

    /// Appends the 5-bit words of `bytes` to `words`, zero-padding the last word.
    static func append(_ bytes: some Collection<UInt8>, to words: inout [UInt8]) {
        words.reserveCapacity(words.count + (bytes.count * 8 + 4) / 5)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            accumulator = (accumulator << 8 | UInt32(byte)) & 0xfff
            bits += 8
            while bits >= 5 {
                bits -= 5
                words.append(UInt8((accumulator >> UInt32(bits)) & 31))
            }
        }
        if bits > 0 { words.append(UInt8((accumulator << UInt32(5 - bits)) & 31)) }
    }

    /// The big-endian integer held by `words`, or `nil` when it does not fit 64 bits.
    static func integer(fromWords words: some Collection<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for word in words {
            guard value >> 59 == 0 else { return nil }
            value = value << 5 | UInt64(word)
        }
        return value
    }

    /// The minimal big-endian words of `value` (none for zero).
    static func words(fromInteger value: UInt64, minimumCount: Int = 0) -> [UInt8] {
        var words = [UInt8]()
        var rest = value
        while rest > 0 || words.count < minimumCount {
            words.append(UInt8(rest & 31))
            rest >>= 5
        }
        return words.reversed()
    }
}
