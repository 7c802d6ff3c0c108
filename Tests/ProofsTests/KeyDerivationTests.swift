import Proofs
import Secp256k1
import Testing

@Suite struct KeyDerivationTests {
    static let seed = Fixtures.bytes(0x5e)

    @Test func identityKeyIsTheSeedHMACOfItsLabel() throws {
        let keys = try KeyDerivation(seed: Self.seed)
        let expected = try PrivateKey(bytes: SHA256.hmac(key: Self.seed, Array("t4g/identity".utf8)))
        #expect(keys.identityKey().xOnlyPublicKey == expected.xOnlyPublicKey)
    }

    @Test func accountKeyIsTheSeedHMACOfTheAccountID() throws {
        let keys = try KeyDerivation(seed: Self.seed)
        let expected = try PrivateKey(bytes: SHA256.hmac(key: Self.seed, Array("t4g/account/42".utf8)))
        #expect(try keys.accountKey(accountID: "42").xOnlyPublicKey == expected.xOnlyPublicKey)
    }

    @Test func derivationIsDeterministicAndSeparatesAccounts() throws {
        let keys = try KeyDerivation(seed: Self.seed)
        let again = try KeyDerivation(seed: Self.seed)
        let other = try KeyDerivation(seed: Fixtures.bytes(0x5f))
        let ids = ["42", "43", "user@example.org", "ünïcode"]
        let publicKeys = try ids.map { try keys.accountKey(accountID: $0).xOnlyPublicKey }
        #expect(try ids.map { try again.accountKey(accountID: $0).xOnlyPublicKey } == publicKeys)
        #expect(Set(publicKeys + [keys.identityKey().xOnlyPublicKey]).count == ids.count + 1)
        #expect(try other.accountKey(accountID: "42").xOnlyPublicKey != publicKeys[0])
    }

    @Test func badSeedsAndAccountIDsAreRefused() throws {
        #expect(throwing(.invalidSeed) { try KeyDerivation(seed: Fixtures.bytes(1).dropLast() + []) })
        #expect(throwing(.invalidSeed) { try KeyDerivation(seed: Fixtures.bytes(0)) })
        let keys = try KeyDerivation(seed: Self.seed)
        for id in ["", "a\u{0}b", "line\nbreak", "del\u{7f}", String(repeating: "x", count: 257)] {
            #expect(throwing(.invalidAccountID) { try keys.accountKey(accountID: id) })
        }
        #expect(try keys.accountKey(accountID: String(repeating: "x", count: 256)).xOnlyPublicKey.bytes.count == 32)
    }

    @Test func descriptionsNeverShowTheSeed() throws {
        let keys = try KeyDerivation(seed: Self.seed)
        for text in [String(describing: keys), String(reflecting: keys), "\(keys.identityKey())"] {
            #expect(!text.contains(Self.seed.hex))
            #expect(!text.contains("5e5e"))
        }
    }
}
