import Proofs
import Secp256k1
import Testing

@Suite struct EncodingTests {
    @Test(arguments: ["mentoring_session", "purchase", "a", "impact_2024", String(repeating: "z", count: 64)])
    func validKinds(_ name: String) throws {
        #expect(try ProofKind(name).name == name)
    }

    @Test(arguments: ["", "Purchase", "mentoring-session", "café", " purchase", String(repeating: "z", count: 65)])
    func invalidKinds(_ name: String) {
        #expect(throwing(.invalidKind) { try ProofKind(name) })
    }

    @Test func fieldNamesAndValueLengthsAreChecked() throws {
        #expect(throwing(.invalidField) { try Field(name: "Topic", value: "x") })
        #expect(throwing(.invalidField) { try Field(name: "", value: "x") })
        #expect(try Field(name: "note", value: String(repeating: "é", count: 2048)).value.utf8.count == 4096)
        #expect(throwing(.invalidField) { try Field(name: "note", value: String(repeating: "é", count: 2048) + "x") })
        #expect(throwing(.invalidLength) { try SaltedField(Field(name: "note", value: ""), salt: [1]) })
    }

    @Test func fieldCommitmentBytesAreSaltThenLengthPrefixedNameAndValue() throws {
        let salted = try SaltedField(Field(name: "topic", value: "Zé"), salt: Fixtures.bytes(0x11))
        let expected = Fixtures.bytes(0x11) + [0, 0, 0, 5] + Array("topic".utf8) + [0, 0, 0, 3, 0x5a, 0xc3, 0xa9]
        #expect(salted.canonicalBytes == expected)
        #expect(salted.commitment.bytes == SHA256.taggedHash(tag: "t4g/field", expected))
    }

    @Test func genesisBytesFollowTheDocumentedLayout() throws {
        let genesis = Fixtures.sessionProof().genesis
        var expected: [UInt8] = [1]
        expected += [0, 0, 0, 17] + Array("mentoring_session".utf8)
        expected += [0, 0, 0, 7] + Array("regtest".utf8)
        expected += Fixtures.issuer.bytes
        expected += [0, 0, 0, 0, 0x66, 0x31, 0xf6, 0x80]
        expected += [0, 0, 0, 5] + genesis.fieldCommitments.flatMap(\.bytes)
        expected += Fixtures.mentor.bytes
        #expect(genesis.canonicalBytes == expected)
        #expect(genesis.id.bytes == SHA256.taggedHash(tag: "t4g/genesis", expected))
    }

    @Test func transitionBytesMarkThePaymentHash() throws {
        let proofID = try Hash256(bytes: Fixtures.bytes(0xaa))
        let previous = try Hash256(bytes: Fixtures.bytes(0xbb))
        let plain = Transition(
            proofID: proofID, previous: previous, sequence: 258, newOwner: Fixtures.mentee, paymentHash: nil,
            createdAt: 1)
        let head: [UInt8] = [1] + proofID.bytes + previous.bytes + [0, 0, 0, 0, 0, 0, 1, 2] + Fixtures.mentee.bytes
        #expect(plain.canonicalBytes == head + [0] + [0, 0, 0, 0, 0, 0, 0, 1])
        let bound = Transition(
            proofID: proofID, previous: previous, sequence: 258, newOwner: Fixtures.mentee,
            paymentHash: Fixtures.preimage.paymentHash, createdAt: 1)
        #expect(bound.canonicalBytes == head + [1] + Fixtures.preimage.paymentHash.bytes + [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(bound.id.bytes == SHA256.taggedHash(tag: "t4g/transition", bound.canonicalBytes))
        #expect(bound.id != plain.id)
    }

    @Test func hashesParseStrictLowercaseHex() throws {
        let hex = String(repeating: "0a", count: 32)
        #expect(try Hash256(hex: hex).bytes == [UInt8](repeating: 10, count: 32))
        #expect(throwing(.invalidHex) { try Hash256(hex: hex.uppercased()) })
        #expect(throwing(.invalidHex) { try Hash256(hex: "0") })
        #expect(throwing(.invalidLength) { try Hash256(hex: "0a0a") })
        #expect(throwing(.invalidLength) { try Preimage(bytes: [1, 2]) })
        #expect(Fixtures.preimage.paymentHash.bytes == SHA256.hash(Fixtures.bytes(0x44)))
    }

    @Test func genesisRefusesUnsortedOrRepeatedCommitments() throws {
        let low = try Hash256(bytes: Fixtures.bytes(1))
        let high = try Hash256(bytes: Fixtures.bytes(2))
        func genesis(_ commitments: [Hash256]) throws(ProofError) -> Genesis {
            try Genesis(
                kind: .purchase, network: .signet, issuer: Fixtures.issuer, issuedAt: 0, fieldCommitments: commitments,
                owner: Fixtures.mentee)
        }
        #expect(try genesis([low, high]).fieldCommitments == [low, high])
        #expect(throwing(.nonCanonical) { try genesis([high, low]) })
        #expect(throwing(.duplicateField) { try genesis([low, low]) })
    }
}
