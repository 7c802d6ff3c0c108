import BOLT11
import Secp256k1
import Testing

/// Each rejection cause, provoked by an invoice built for it.
@Suite struct RejectionTests {
    let key = PrivateKey.random()

    func fields(_ amountMsat: UInt64? = 1_000) -> InvoiceFields {
        InvoiceFields(
            network: .regtest, amountMsat: amountMsat, timestamp: 1_700_000_000,
            paymentHash: [UInt8](repeating: 7, count: 32), paymentSecret: [UInt8](repeating: 9, count: 32),
            description: "test", features: [8, 14])
    }

    func cause(_ bolt11: String) -> String? {
        do {
            _ = try Invoice(bolt11: bolt11)
            return nil
        } catch {
            return error.code.name
        }
    }

    /// Replaces the human-readable part of a valid invoice and recomputes the checksum (signature left stale).
    func withHRP(_ hrp: String) throws -> String {
        let bolt11 = try fields().encode(signingWith: key)
        let data = bolt11[bolt11.index(after: bolt11.lastIndex(of: "1")!)...].dropLast(6)
        return try rechecksum(hrp: hrp, data: String(data))
    }

    @Test(arguments: [
        ("lnbcrt01u", "invalid_amount_leading_zero"), ("lnbcrt0", "invalid_amount_leading_zero"),
        ("lnbcrt1x", "invalid_multiplier"), ("lnbcrt15p", "sub_millisatoshi_amount"),
        ("lnbcrt99999999999999999999", "invalid_amount"), ("lnbcrt22000000", "invalid_amount"),
        ("lnbcrt1mm", "invalid_amount"), ("lnxx", "unknown_network"), ("lnsb", "unknown_network"),
        ("bcrt", "invalid_hrp"),
    ])
    func rejectsBadHumanReadableParts(hrp: String, reason: String) throws {
        #expect(cause(try withHRP(hrp)) == reason)
    }

    @Test func acceptsEveryNetworkAndMultiplier() throws {
        for network in Network.allCases {
            for amount: UInt64? in [nil, 1, 10, 100, 100_000, 100_000_000, 100_000_000_000, 123_456_789] {
                var fields = fields(amount)
                fields.network = network
                let invoice = try Invoice(bolt11: try fields.encode(signingWith: key))
                #expect(invoice.fields.amountMsat == amount)
                #expect(invoice.fields.network == network)
            }
        }
    }

    @Test func rejectsCorruptedStrings() throws {
        let bolt11 = try fields().encode(signingWith: key)
        var corrupted = Array(bolt11)
        corrupted[20] = corrupted[20] == "q" ? "p" : "q"
        #expect(cause(String(corrupted)) == "bad_checksum")
        #expect(cause(bolt11.prefix(10) + bolt11.dropFirst(10).uppercased()) == "bech32_mixed_case")
        #expect(cause(bolt11.replacingOccurrences(of: "1", with: "")) != nil)
        #expect(cause("lnbc") == "bech32_no_separator")
        #expect(cause("lnbc1qqq") == "bech32_too_short")
        let separator = bolt11.lastIndex(of: "1")!
        #expect(
            cause(bolt11[...separator] + "b" + bolt11[bolt11.index(after: separator)...]) == "bech32_invalid_character")
        #expect(cause("lnbcrt1" + String(repeating: "q", count: 50)) == "bad_checksum")
        #expect(cause(try rechecksum(hrp: "lnbcrt", data: String(repeating: "q", count: 100))) == "too_short")
    }

    @Test func rejectsMissingOrConflictingFields() throws {
        var both = fields()
        both.descriptionHash = [UInt8](repeating: 1, count: 32)
        #expect(cause(try both.encode(signingWith: key)) == "description_and_hash_both_or_neither")
        var neither = fields()
        neither.description = nil
        #expect(cause(try neither.encode(signingWith: key)) == "description_and_hash_both_or_neither")
        var noSecret = fields()
        noSecret.paymentSecret = nil
        #expect(cause(try noSecret.encode(signingWith: key)) == "missing_payment_secret")
        noSecret.features = [8]
        let lenient = try Invoice(bolt11: try noSecret.encode(signingWith: key))
        #expect(lenient.warnings.map(\.code) == [.missingPaymentSecret])
        #expect(throws: BOLT11Error.self) { try lenient.requireStrictlyValid() }
        var unknownRequired = fields()
        unknownRequired.features = [8, 14, 40]
        #expect(cause(try unknownRequired.encode(signingWith: key)) == "unknown_required_feature")
        var noHash = fields()
        noHash.paymentHash = [UInt8](repeating: 7, count: 31)
        #expect(cause(try noHash.encode(signingWith: key)) == "missing_payment_hash")
    }

    @Test func rejectsBadFieldContents() throws {
        var badUTF8 = fields()
        badUTF8.description = nil
        badUTF8.descriptionHash = [UInt8](repeating: 1, count: 32)
        badUTF8.unknownFields = []
        let base = try badUTF8.encode(signingWith: key)
        #expect(try Invoice(bolt11: base).fields == badUTF8)
        // d field (type 13) holding the byte 0xff: words 11111 111(00)
        var withBadText = badUTF8
        withBadText.unknownFields = [UnknownField(type: 13, words: [31, 28])]
        #expect(cause(try withBadText.encode(signingWith: key)) == "invalid_utf8_description")
        var badRoute = badUTF8
        badRoute.unknownFields = [UnknownField(type: 3, words: [UInt8](repeating: 0, count: 40))]
        #expect(cause(try badRoute.encode(signingWith: key)) == "invalid_route_hint_length")
        var badHopKey = badUTF8
        badHopKey.unknownFields = [UnknownField(type: 3, words: [UInt8](repeating: 0, count: 82))]
        #expect(cause(try badHopKey.encode(signingWith: key)) == "invalid_route_hint_pubkey")
        var badFallback = badUTF8
        badFallback.unknownFields = [UnknownField(type: 9, words: [0, 1, 2, 3])]
        #expect(cause(try badFallback.encode(signingWith: key)) == "invalid_fallback_field")
        var hugeExpiry = badUTF8
        hugeExpiry.unknownFields = [UnknownField(type: 6, words: [UInt8](repeating: 31, count: 13))]
        #expect(cause(try hugeExpiry.encode(signingWith: key)) == "integer_overflow")
    }

    @Test func checksSignatureAgainstExplicitPayee() throws {
        var explicit = fields()
        explicit.payeeNodeID = key.publicKey.compressed
        let bolt11 = try explicit.encode(signingWith: key)
        #expect(try Invoice(bolt11: bolt11).payee == key.publicKey)
        // Same content, n claims another node: the signature cannot verify against it.
        let other = PrivateKey.random()
        var forged = explicit
        forged.payeeNodeID = other.publicKey.compressed
        let forgedString = try forged.encode(signingWith: other)
        let body = forgedString.dropLast(6 + 104)
        let signature = bolt11.dropLast(6).suffix(104)
        let hrpEnd = body.lastIndex(of: "1")!
        let spliced = try rechecksum(
            hrp: String(body[..<hrpEnd]), data: String(body[body.index(after: hrpEnd)...] + signature))
        #expect(cause(spliced) == "invalid_signature")
    }
}

/// `hrp` + `1` + `data` with a freshly computed bech32 checksum, via a throwaway encode of the words.
func rechecksum(hrp: String, data: String) throws -> String {
    let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l")
    let words = data.map { UInt8(alphabet.firstIndex(of: $0)!) }
    return bech32Encode(hrp: Array(hrp.utf8), words: words)
}

/// An independent bech32 encoder for tests (BIP173 reference algorithm).
func bech32Encode(hrp: [UInt8], words: [UInt8]) -> String {
    func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for index in 0..<5 where (top >> index) & 1 == 1 { checksum ^= generator[index] }
        }
        return checksum
    }
    let expanded = hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    let value = polymod(expanded + words + [0, 0, 0, 0, 0, 0]) ^ 1
    let checksum = (0..<6).map { UInt8((value >> (5 * (5 - UInt32($0)))) & 31) }
    let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    return String(decoding: hrp + [UInt8(ascii: "1")] + (words + checksum).map { alphabet[Int($0)] }, as: UTF8.self)
}
