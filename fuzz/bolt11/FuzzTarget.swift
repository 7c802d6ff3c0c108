import BOLT11
import Foundation
import Secp256k1

// libFuzzer entry point for the BOLT #11 decoder.
//
// Each input is tried three ways, so that mutations reach past the bech32 checksum:
// 1. as text (lossy UTF-8), exactly as given;
// 2. as text with its bech32 checksum recomputed (when it has a separator and only bech32 characters);
// 3. as raw bytes: the first byte picks a human-readable part, every other byte is one 5-bit word
//    (`byte & 31`), and the checksum is computed.
// A thrown `BOLT11Error` is an expected outcome. A trap, a sanitizer report or a broken invariant
// (checked by `checkInvariants`, which traps with a message) is a finding.

/// The key every decoded invoice is re-signed with.
private let fixedKey = try! PrivateKey(bytes: [UInt8](repeating: 0x42, count: 32))
private let fixedPublicKey = fixedKey.publicKey.compressed

private let bech32Alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

/// Human-readable parts that raw-bytes mode chooses from (index: first byte modulo the count).
private let humanReadableParts: [[UInt8]] = [
    "lnbc", "lntb", "lntbs", "lnbcrt", "lnbc1", "lnbc20m", "lnbc2500u", "lnbc1000n", "lnbc10p", "lnbc9678785340p",
    "lntb20m", "lnbcrt1", "lnbc21000000", "lnbc21000001", "lnbc1p", "lnbc0", "lnsb", "lnbc2100000000000000000p",
].map { Array($0.utf8) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = Statistics.registered
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    decodeAndCheck(text)
    if let repaired = withRepairedChecksum(text), repaired != text { decodeAndCheck(repaired) }
    if let first = bytes.first {
        let hrp = humanReadableParts[Int(first) % humanReadableParts.count]
        decodeAndCheck(bech32String(hrp: hrp, words: bytes.dropFirst().map { $0 & 31 }))
    }
    return 0
}

/// Decodes `text`; when it is accepted, checks the invariants.
private func decodeAndCheck(_ text: String) {
    Statistics.decodes += 1
    let invoice: Invoice
    do {
        invoice = try Invoice(bolt11: text)
    } catch {
        Statistics.rejections[error.code.name, default: 0] += 1
        return
    }
    Statistics.accepted += 1
    checkInvariants(invoice, text: text)
}

/// Outcome counts, printed at exit when `FUZZ_STATS` is set (e.g. when replaying a corpus).
private enum Statistics {
    // The fuzz target runs on one thread: libFuzzer calls it serially.
    nonisolated(unsafe) static var decodes = 0
    nonisolated(unsafe) static var accepted = 0
    nonisolated(unsafe) static var rejections: [String: Int] = [:]

    static let registered: Bool = {
        guard ProcessInfo.processInfo.environment["FUZZ_STATS"] != nil else { return false }
        atexit {
            print("decodes: \(Statistics.decodes), accepted: \(Statistics.accepted)")
            for (name, count) in Statistics.rejections.sorted(by: { $0.value > $1.value }) {
                print("  \(name): \(count)")
            }
        }
        return true
    }()
}

private func checkInvariants(_ invoice: Invoice, text: String) {
    let fields = invoice.fields
    require(invoice.bolt11 == text, "bolt11 is not the input string", text)
    require(fields.paymentHash.count == 32, "payment hash of \(fields.paymentHash.count) bytes", text)
    require(fields.paymentSecret.map { $0.count == 32 } ?? true, "payment secret length", text)
    require(fields.descriptionHash.map { $0.count == 32 } ?? true, "description hash length", text)
    require(fields.payeeNodeID.map { $0.count == 33 } ?? true, "payee node id length", text)
    require((fields.description == nil) != (fields.descriptionHash == nil), "not exactly one of d and h", text)
    require(fields.timestamp < 1 << 35, "timestamp over 35 bits", text)
    require(fields.features == fields.features.sorted(), "features not sorted", text)
    if let payee = fields.payeeNodeID {
        require(invoice.payee.compressed == payee, "payee is not the n field", text)
        require(!invoice.signature.isHighS, "high-S signature accepted with n", text)
    }
    if let amount = fields.amountMsat { require(amount > 0, "zero amount accepted", text) }
    checkAgainstRawFields(fields, text: text)

    // The RPC's JSON view of the invoice must encode without error.
    do {
        _ = try JSONEncoder().encode(invoice)
    } catch {
        fail("JSON encoding threw \(error)", text)
    }

    // Case: BOLT #11 strings are case-insensitive as a whole.
    if text == text.lowercased(), text.utf8.allSatisfy({ $0 < 0x80 }) {
        let upper = text.uppercased()
        do {
            require(try Invoice(bolt11: upper).fields == fields, "upper-case copy decodes differently", text)
        } catch {
            fail("upper-case copy rejected: \(error)", text)
        }
    }

    // Round trip: the decoded fields, signed with another key, decode to the same fields.
    var resigned = fields
    if resigned.payeeNodeID != nil { resigned.payeeNodeID = fixedPublicKey }
    let encoded: String
    do {
        encoded = try resigned.encode(signingWith: fixedKey)
    } catch {
        fail("decoded fields do not encode: \(error)", text)
    }
    let again: Invoice
    do {
        again = try Invoice(bolt11: encoded)
    } catch {
        fail("re-encoded invoice rejected: \(error) (\(encoded))", text)
    }
    require(again.fields == resigned, "re-encoded invoice decodes to other fields (\(encoded))", text)
    require(
        again.fields.description.map(\.utf8).map(Array.init) == resigned.description.map(\.utf8).map(Array.init),
        "description bytes changed (\(encoded))", text)
    require(again.payee.compressed == fixedPublicKey, "re-encoded invoice recovers another payee", text)
    let expectedWarnings = resigned.paymentSecret == nil ? 1 : 0
    require(again.warnings.count == expectedWarnings, "re-encoded invoice warns: \(again.warnings)", text)
    require(
        (try? resigned.encode(signingWith: fixedKey)) == encoded, "encoding is not deterministic", text)

    // High-S: s replaced by n - s with the recovery id flipped still recovers the signer's key, but
    // must be refused when the invoice names its payee in `n`.
    if resigned.payeeNodeID == nil {
        do {
            let high = try Invoice(bolt11: withHighS(encoded))
            require(high.signature.isHighS, "n - s is not high-S", text)
            require(high.payee.compressed == fixedPublicKey, "high-S signature recovers another key", text)
            require(high.fields == resigned, "high-S copy decodes to other fields", text)
        } catch {
            fail("high-S copy without n rejected: \(error)", text)
        }
    }
    var withPayee = resigned
    withPayee.payeeNodeID = fixedPublicKey
    if let signed = try? withPayee.encode(signingWith: fixedKey) {
        do {
            _ = try Invoice(bolt11: withHighS(signed))
            fail("high-S signature accepted with n", text)
        } catch {
            require(error.code == .highSWithPayee, "high-S with n rejected as \(error.code)", text)
        }
    }
}

/// The curve order n of secp256k1, big-endian.
private let curveOrder: [UInt8] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
]

/// A well-formed lower-case invoice with its signature's s replaced by n - s and the recovery id's
/// parity flipped (the other valid encoding of the same signature), checksum recomputed.
private func withHighS(_ bolt11: String) -> String {
    let bytes = Array(bolt11.utf8)
    let separator = bytes.lastIndex(of: UInt8(ascii: "1"))!
    let words = bytes[(separator + 1)...].dropLast(6).map { UInt8(bech32Alphabet.firstIndex(of: $0)!) }
    var signature = packWords(Array(words.suffix(104)))
    var borrow = 0
    for index in stride(from: 63, through: 32, by: -1) {
        let difference = Int(curveOrder[index - 32]) - Int(signature[index]) - borrow
        signature[index] = UInt8(truncatingIfNeeded: difference)
        borrow = difference < 0 ? 1 : 0
    }
    signature[64] ^= 1
    return bech32String(hrp: Array(bytes[..<separator]), words: words.dropLast(104) + unpackBytes(signature))
}

/// Checks the decoded fields against an independent reading of the raw tagged fields: every field the
/// signature covers must be reflected, and no `9` field may require an unknown feature.
private func checkAgainstRawFields(_ fields: InvoiceFields, text: String) {
    let knownFeatures: Set<Int> = [8, 9, 14, 15, 16, 17, 48, 49]
    let raw = rawTaggedFields(text)
    for (type, data) in raw where type == 5 {
        let bits: [Int] = data.reversed().enumerated().flatMap { position, word in
            (0..<5).filter { word >> $0 & 1 == 1 }.map { position * 5 + $0 }
        }
        let unknownRequired = bits.filter { $0 % 2 == 0 && !knownFeatures.contains($0) }
        require(unknownRequired.isEmpty, "accepted a 9 field requiring unknown feature(s) \(unknownRequired)", text)
    }
    if let first = raw.first(where: { $0.type == 1 && $0.data.count == 52 }) {
        require(fields.paymentHash == packWords(first.data), "payment hash is not the first valid p field", text)
    }
    if let first = raw.first(where: { $0.type == 19 && $0.data.count == 53 }) {
        require(fields.payeeNodeID == packWords(first.data), "payee is not the first valid n field", text)
    }
    if let first = raw.first(where: { $0.type == 13 }) {
        require(
            fields.description.map { Array($0.utf8) } == packWords(first.data),
            "description is not the first d field", text)
    }
}

/// The tagged fields of a well-formed invoice string (type, data words), read without the BOLT11 module.
private func rawTaggedFields(_ text: String) -> [(type: UInt8, data: [UInt8])] {
    let bytes = Array(text.lowercased().utf8)
    guard let separator = bytes.lastIndex(of: UInt8(ascii: "1")) else { return [] }
    let words = bytes[(separator + 1)...].compactMap { bech32Alphabet.firstIndex(of: $0).map(UInt8.init) }
    guard words.count >= 7 + 104 + 6 else { return [] }
    let tagged = Array(words.dropFirst(7).dropLast(104 + 6))
    var fields: [(type: UInt8, data: [UInt8])] = []
    var index = 0
    while tagged.count - index >= 3 {
        let length = Int(tagged[index + 1]) << 5 | Int(tagged[index + 2])
        guard tagged.count - index - 3 >= length else { break }
        fields.append((tagged[index], Array(tagged[(index + 3)..<(index + 3 + length)])))
        index += 3 + length
    }
    return fields
}

/// Bytes split into 5-bit words, the last one zero-padded.
private func unpackBytes(_ bytes: [UInt8]) -> [UInt8] {
    var words = [UInt8]()
    var accumulator: UInt32 = 0
    var bits = 0
    for byte in bytes {
        accumulator = (accumulator << 8 | UInt32(byte)) & 0xfff
        bits += 8
        while bits >= 5 {
            bits -= 5
            words.append(UInt8(accumulator >> UInt32(bits) & 31))
        }
    }
    if bits > 0 { words.append(UInt8(accumulator << UInt32(5 - bits) & 31)) }
    return words
}

/// 5-bit words packed into bytes, trailing bits dropped.
private func packWords(_ words: [UInt8]) -> [UInt8] {
    var bytes = [UInt8]()
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
    return bytes
}

private func require(_ condition: Bool, _ message: @autoclosure () -> String, _ text: String) {
    if !condition { fail(message(), text) }
}

private func fail(_ message: String, _ text: String) -> Never {
    fatalError("invariant broken: \(message)\ninput: \(text)")
}

/// `text` with the last six data characters replaced by the correct bech32 checksum, or `nil` when
/// `text` has no separator, too short a data part, or a character outside the bech32 alphabet.
private func withRepairedChecksum(_ text: String) -> String? {
    let bytes = Array(text.utf8)
    guard let separator = bytes.lastIndex(of: UInt8(ascii: "1")), separator > 0, bytes.count - separator - 1 >= 6
    else { return nil }
    let isUpper = bytes.contains { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    let hrp = bytes[..<separator].map { isUpper && (65...90).contains($0) ? $0 | 0x20 : $0 }
    guard hrp.allSatisfy({ (33...126).contains($0) }) else { return nil }
    var words = [UInt8]()
    for byte in bytes[(separator + 1)...].dropLast(6) {
        let lower = (65...90).contains(byte) ? byte | 0x20 : byte
        guard let value = bech32Alphabet.firstIndex(of: lower) else { return nil }
        words.append(UInt8(value))
    }
    let repaired = bech32String(hrp: hrp, words: words)
    return isUpper ? repaired.uppercased() : repaired
}

/// A bech32 (BIP173 constant) string of `hrp` and `words`, checksum appended.
private func bech32String(hrp: [UInt8], words: [UInt8]) -> String {
    var checksum: UInt32 = 1
    func step(_ value: UInt8) {
        let top = checksum >> 25
        checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
        for (bit, generator) in [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3].enumerated()
        where top >> bit & 1 != 0 {
            checksum ^= UInt32(generator)
        }
    }
    for byte in hrp { step(byte >> 5) }
    step(0)
    for byte in hrp { step(byte & 31) }
    for word in words { step(word) }
    for _ in 0..<6 { step(0) }
    checksum ^= 1
    let checksumWords = (0..<6).map { UInt8(checksum >> (5 * (5 - UInt32($0))) & 31) }
    let characters = hrp + [UInt8(ascii: "1")] + (words + checksumWords).map { bech32Alphabet[Int($0)] }
    return String(decoding: characters, as: UTF8.self)
}
