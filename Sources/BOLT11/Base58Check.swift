import Secp256k1

/// Base58Check encoding, for legacy P2PKH and P2SH fallback addresses.
enum Base58Check {
    private static let alphabet: [UInt8] = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    /// `version ‖ payload ‖ first 4 bytes of SHA256d(version ‖ payload)` in base 58.
    static func encode(version: UInt8, payload: [UInt8]) -> String {
        let body = [version] + payload
        let bytes = body + SHA256.doubleHash(body).prefix(4)
        var digits = [UInt8]()
        for byte in bytes {
            var carry = Int(byte)
            for index in digits.indices {
                carry += Int(digits[index]) << 8
                digits[index] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        let leadingZeros = bytes.prefix { $0 == 0 }.count
        let characters =
            [UInt8](repeating: alphabet[0], count: leadingZeros) + digits.reversed().map { alphabet[Int($0)] }
        return String(decoding: characters, as: UTF8.self)
    }
}
