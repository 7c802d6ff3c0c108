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
        var hasLower = false
        var hasUpper = false
        for byte in bytes {
            guard (33...126).contains(byte) else {
                throw BOLT11Error(.invalidCharacter, "character outside the printable ASCII range")
            }
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) { hasLower = true }
            if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) { hasUpper = true }
        }
        guard !(hasLower && hasUpper) else { throw BOLT11Error(.mixedCase, "mixes upper and lower case") }
        guard let separator = bytes.lastIndex(of: UInt8(ascii: "1")) else {
            throw BOLT11Error(.noSeparator, "no '1' separates the human-readable part from the data")
        }
        guard separator > 0 else { throw BOLT11Error(.invalidHRP, "empty human-readable part") }
        guard bytes.count - separator - 1 >= 6 else {
            throw BOLT11Error(.bech32TooShort, "data part shorter than its 6-character checksum")
        }
        let hrp = bytes[..<separator].map { hasUpper ? $0 | 0x20 : $0 }
        var words = [UInt8]()
        words.reserveCapacity(bytes.count - separator - 1)
        for byte in bytes[(separator + 1)...] {
            let value = values[Int(byte)]
            guard value != 0xff else {
                throw BOLT11Error(.invalidCharacter, "'\(Character(Unicode.Scalar(byte)))' is not a bech32 character")
            }
            words.append(value)
        }
        guard polymod(hrp: hrp, words: words) == variant.constant else {
            throw BOLT11Error(.badChecksum, "bech32 checksum does not match")
        }
        words.removeLast(6)
        return (hrp, words)
    }

    /// Encodes a human-readable part and data words, appending the checksum.
    static func encode(hrp: [UInt8], words: [UInt8], variant: Variant) -> String {
        let checksumValue = polymod(hrp: hrp, words: words + [0, 0, 0, 0, 0, 0]) ^ variant.constant
        let checksum = (0..<6).map { UInt8((checksumValue >> (5 * (5 - UInt32($0)))) & 31) }
        let characters = hrp + [UInt8(ascii: "1")] + (words + checksum).map { alphabet[Int($0)] }
        return String(decoding: characters, as: UTF8.self)
    }

    private static func polymod(hrp: [UInt8], words: [UInt8]) -> UInt32 {
        var checksum: UInt32 = 1
        func step(_ value: UInt8) {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            if top & 1 != 0 { checksum ^= 0x3b6a_57b2 }
            if top & 2 != 0 { checksum ^= 0x2650_8e6d }
            if top & 4 != 0 { checksum ^= 0x1ea1_19fa }
            if top & 8 != 0 { checksum ^= 0x3d42_33dd }
            if top & 16 != 0 { checksum ^= 0x2a14_62b3 }
        }
        for byte in hrp { step(byte >> 5) }
        step(0)
        for byte in hrp { step(byte & 31) }
        for word in words { step(word) }
        return checksum
    }
}

/// Regrouping between 8-bit bytes and 5-bit words.
enum WordConversion {
    /// Packs 5-bit words into bytes. Trailing bits that do not fill a byte are dropped, or, with
    /// `padded`, completed with zero bits into a last byte (as BOLT #11's signature hash wants).
    static func bytes(fromWords words: some Collection<UInt8>, padded: Bool = false) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(words.count * 5 / 8)
        var accumulator: UInt32 = 0
        var bits = 0
        for word in words {
            accumulator = accumulator << 5 | UInt32(word)
            bits += 5
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        if padded, bits > 0 { bytes.append(UInt8(truncatingIfNeeded: accumulator << UInt32(8 - bits))) }
        return bytes
    }

    /// Splits bytes into 5-bit words, zero-padding the last word.
    static func words(fromBytes bytes: some Collection<UInt8>) -> [UInt8] {
        var words = [UInt8]()
        words.reserveCapacity((bytes.count * 8 + 4) / 5)
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
        return words
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
