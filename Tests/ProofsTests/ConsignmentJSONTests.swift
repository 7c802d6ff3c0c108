import Foundation
import Proofs
import Secp256k1
import Testing

@Suite struct ConsignmentJSONTests {
    static let consignment: Consignment = {
        var proof = Fixtures.chain(length: 2)
        let transition = try! proof.makeTransition(
            to: Fixtures.mentee, paymentHash: Fixtures.preimage.paymentHash, createdAt: Fixtures.issuedAt + 10)
        try! proof.append(transition, signature: Fixtures.mentorKey.signSchnorr(message: transition.sighash))
        try! proof.attachPreimage(Fixtures.preimage)
        return try! proof.export()
    }()

    /// Decoding `data` throws a ``ProofError`` with `code`, whose detail contains `path`.
    func expectError(_ code: ProofError.Code, at path: String, _ data: Data) {
        #expect {
            try Consignment(json: data)
        } throws: { error in
            guard let error = error as? ProofError else { return false }
            return error.code == code && error.detail.contains(path)
        }
    }

    @Test func roundTripIsIdentical() throws {
        let decoded = try Consignment(json: Self.consignment.json())
        #expect(decoded == Self.consignment)
        #expect(decoded.json() == Self.consignment.json())
        #expect(try Consignment(json: Self.consignment.json(prettyPrinted: true)) == Self.consignment)
        #expect(Fixtures.validator.validate(decoded).isValid)
    }

    @Test func documentUsesSnakeCaseHexAndExplicitNulls() throws {
        let object = try JSONSerialization.jsonObject(with: Self.consignment.json()) as! [String: Any]
        #expect(
            Set(object.keys) == [
                "version", "proof_id", "genesis", "issuer_signature", "transitions", "disclosed_fields",
            ])
        #expect(object["version"] as? Int == 1)
        #expect(object["proof_id"] as? String == Self.consignment.genesis.id.hex)
        let genesis = object["genesis"] as! [String: Any]
        #expect(
            Set(genesis.keys) == ["version", "kind", "network", "issuer", "issued_at", "field_commitments", "owner"])
        let transitions = object["transitions"] as! [[String: Any]]
        #expect(
            Set(transitions[0].keys) == [
                "id", "version", "proof_id", "previous", "sequence", "new_owner", "payment_hash", "created_at",
                "signature",
                "preimage",
            ])
        #expect(transitions[0]["payment_hash"] is NSNull)
        #expect(transitions[2]["preimage"] as? String == Fixtures.preimage.bytes.hex)
    }

    @Test func absentOptionalKeysReadAsNull() throws {
        let data = try Fixtures.editedJSON(Self.consignment) { object in
            var transitions = object["transitions"] as! [[String: Any]]
            transitions[0].removeValue(forKey: "payment_hash")
            transitions[0].removeValue(forKey: "preimage")
            object["transitions"] = transitions
        }
        #expect(try Consignment(json: data) == Self.consignment)
    }

    @Test func notJSONIsMalformed() {
        expectError(.malformedConsignment, at: "not valid JSON", Data("{\"version\": 1,".utf8))
        expectError(.malformedConsignment, at: "document: wrong JSON type", Data("[]".utf8))
    }

    @Test func missingKeyIsMalformedWithItsPath() throws {
        let data = try Fixtures.editedJSON(Self.consignment) { object in
            var transitions = object["transitions"] as! [[String: Any]]
            transitions[1].removeValue(forKey: "signature")
            object["transitions"] = transitions
        }
        expectError(.malformedConsignment, at: "transitions[1].signature: missing", data)
    }

    @Test func wrongJSONTypeIsMalformed() throws {
        expectError(
            .malformedConsignment, at: "genesis.issued_at",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("genesis", "issued_at", "yesterday")
            })
        expectError(
            .malformedConsignment, at: "out of range",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("transitions", 0, "sequence", -1)
            })
    }

    @Test func unknownVersionIsUnsupported() throws {
        expectError(
            .unsupportedVersion, at: "version 3 is not supported (this verifier reads versions 1 and 2)",
            try Fixtures.editedJSON(Self.consignment) { $0["version"] = 3 })
        let onlyVersion = Data("{\"version\": 9, \"something\": \"else\"}".utf8)
        expectError(.unsupportedVersion, at: "version 9", onlyVersion)
    }

    @Test(arguments: [
        ("issuer_signature", String(repeating: "ab", count: 63)),
        ("proof_id", String(repeating: "ab", count: 33)),
    ])
    func wrongTopLevelHexLengthIsTyped(key: String, value: String) throws {
        expectError(.invalidLength, at: key, try Fixtures.editedJSON(Self.consignment) { $0[key] = value })
    }

    @Test func wrongNestedHexLengthsAreTyped() throws {
        let short = String(repeating: "cd", count: 31)
        expectError(
            .invalidLength, at: "genesis.owner",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("genesis", "owner", short)
            })
        expectError(
            .invalidLength, at: "genesis.field_commitments[0]",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("genesis", "field_commitments", [short])
            })
        for key in ["id", "proof_id", "previous", "new_owner", "payment_hash", "preimage"] {
            expectError(
                .invalidLength, at: "transitions[2].\(key)",
                try Fixtures.editedJSON(Self.consignment) {
                    $0.set("transitions", 2, key, short)
                })
        }
        expectError(
            .invalidLength, at: "transitions[1].signature",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("transitions", 1, "signature", short)
            })
        expectError(
            .invalidLength, at: "disclosed_fields[3].salt",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("disclosed_fields", 3, "salt", short)
            })
    }

    @Test func nonHexAndUppercaseHexAreRejected() throws {
        let upper = Self.consignment.genesis.issuer.bytes.hex.uppercased()
        expectError(
            .invalidHex, at: "genesis.issuer",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("genesis", "issuer", upper)
            })
        expectError(
            .invalidHex, at: "issuer_signature",
            try Fixtures.editedJSON(Self.consignment) {
                $0["issuer_signature"] = String(repeating: "zz", count: 64)
            })
    }

    @Test func pointNotOnCurveIsAnInvalidKey() throws {
        let notOnCurve = (UInt8(1)...).lazy.map { [UInt8](repeating: 0, count: 31) + [$0] }
            .first { (try? XOnlyPublicKey(bytes: $0)) == nil }!
        expectError(
            .invalidKey, at: "transitions[0].new_owner",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("transitions", 0, "new_owner", notOnCurve.hex)
            })
    }

    @Test func shapeRulesOfKindNetworkFieldsAndCommitmentOrder() throws {
        expectError(
            .invalidKind, at: "genesis.kind",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("genesis", "kind", "Mentoring")
            })
        expectError(
            .invalidNetwork, at: "genesis.network",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("genesis", "network", "bitcoin")
            })
        expectError(
            .invalidField, at: "disclosed_fields[0]",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("disclosed_fields", 0, "name", "Mentor")
            })
        let commitments = Self.consignment.genesis.fieldCommitments.map(\.hex)
        expectError(
            .nonCanonical, at: "genesis.field_commitments",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("genesis", "field_commitments", Array(commitments.reversed()))
            })
        expectError(
            .duplicateField, at: "genesis.field_commitments",
            try Fixtures.editedJSON(Self.consignment) {
                $0.set("genesis", "field_commitments", [commitments[0], commitments[0]])
            })
    }

    @Test func errorDescriptionsCarryCodeAndPath() throws {
        let data = try Fixtures.editedJSON(Self.consignment) { $0["issuer_signature"] = "00" }
        do {
            _ = try Consignment(json: data)
            Issue.record("decoded a 1-byte signature")
        } catch {
            #expect(error.description == "invalid_length: issuer_signature: expected 64 bytes, got 1")
        }
    }
}
