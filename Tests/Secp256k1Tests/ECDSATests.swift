import Secp256k1
import Testing

@Suite struct ECDSATests {
    let key = try! PrivateKey(bytes: [UInt8](hex: "e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734")!)

    @Test func derivesTheKnownPublicKey() {
        #expect(key.publicKey.compressed.hex == "03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad")
    }

    @Test func signatureRecoversTheSignerAndVerifies() throws {
        for message in ["", "abc", "lightning"] {
            let hash = SHA256.hash(Array(message.utf8))
            let signature = try key.signRecoverable(messageHash: hash)
            #expect(!signature.isHighS)
            #expect(try signature.recoverPublicKey(messageHash: hash) == key.publicKey)
            #expect(signature.isValid(messageHash: hash, publicKey: key.publicKey))
            #expect(!signature.isValid(messageHash: SHA256.hash(hash), publicKey: key.publicKey))
        }
    }

    @Test func highSFailsVerificationButStillRecovers() throws {
        let hash = SHA256.hash(Array("high-s".utf8))
        let low = try key.signRecoverable(messageHash: hash)
        let high = try RecoverableSignature(
            compact: Array(low.compact[0..<32]) + negateModOrder(Array(low.compact[32..<64])),
            recoveryID: low.recoveryID ^ 1)
        #expect(high.isHighS)
        #expect(!high.isValid(messageHash: hash, publicKey: key.publicKey))
        #expect(try high.recoverPublicKey(messageHash: hash) == key.publicKey)
    }

    @Test func rejectsBadKeysAndRecoveryIDs() {
        #expect(throws: Secp256k1Error(.invalidPrivateKey)) { try PrivateKey(bytes: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: Secp256k1Error(.invalidPrivateKey)) {
            try PrivateKey(bytes: [UInt8](repeating: 0xff, count: 32))
        }
        #expect(throws: Secp256k1Error(.invalidPrivateKey)) { try PrivateKey(bytes: [1, 2, 3]) }
        #expect(throws: Secp256k1Error(.invalidPublicKey)) {
            try PublicKey(compressed: [2] + [UInt8](repeating: 0, count: 32))
        }
        #expect(throws: Secp256k1Error(.invalidRecoveryID)) {
            try RecoverableSignature(compact: [UInt8](repeating: 1, count: 64), recoveryID: 4)
        }
    }

    @Test func secretsNeverPrint() {
        #expect("\(key)" == "PrivateKey(<redacted>)")
        #expect(String(reflecting: key) == "PrivateKey(<redacted>)")
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("e126f68f"))
    }

    @Test func hashesMatchKnownAnswers() {
        #expect(
            SHA256.hash(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hmac(key: Array("key".utf8), Array("The quick brown fox jumps over the lazy dog".utf8)).hex
                == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
        let tag = Array("BIP0340/challenge".utf8)
        let tagHash = SHA256.hash(tag)
        #expect(SHA256.taggedHash(tag: "BIP0340/challenge", [1, 2]) == SHA256.hash(tagHash + tagHash + [1, 2]))
    }
}

/// n - s for a 32-byte big-endian s, n being the secp256k1 group order.
func negateModOrder(_ s: [UInt8]) -> [UInt8] {
    let order = [UInt8](hex: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")!
    var result = [UInt8](repeating: 0, count: 32)
    var borrow = 0
    for index in stride(from: 31, through: 0, by: -1) {
        var digit = Int(order[index]) - Int(s[index]) - borrow
        borrow = digit < 0 ? 1 : 0
        if digit < 0 { digit += 256 }
        result[index] = UInt8(digit)
    }
    return result
}
