import Foundation
import Proofs
import Secp256k1
import Testing

/// Recomputes the golden vectors of docs/proofs.md and compares them with the values written there, so
/// the document and the code cannot drift apart.
@Suite struct GoldenVectorTests {
    static let issuerKey = Fixtures.key(0x01)
    static let mentorKey = Fixtures.key(0x02)
    static let menteeKey = Fixtures.key(0x03)
    static let issuedAt: UInt64 = 1_714_550_400
    static let createdAt: UInt64 = 1_714_554_000
    static let issuerAuxiliary = Fixtures.bytes(0xa1)
    static let transitionAuxiliary = Fixtures.bytes(0xa2)
    static let preimage = try! Preimage(bytes: Fixtures.bytes(0x44))
    static let seed = Fixtures.bytes(0x5e)

    /// The fields, each salted with 32 bytes of 0x11, 0x12, … in this order.
    static let fields: [(name: String, value: String, salt: [UInt8])] = [
        ("mentor", "Alice Martin", Fixtures.bytes(0x11)),
        ("mentee", "Bob Okafor", Fixtures.bytes(0x12)),
        ("topic", "Opening Lightning channels", Fixtures.bytes(0x13)),
        ("date", "2024-05-01", Fixtures.bytes(0x14)),
        ("duration_min", "60", Fixtures.bytes(0x15)),
    ]

    /// The vector proof: issued to the mentor, sold to the mentee, paid.
    static func vectorProof() throws -> (proof: Proof, transition: Transition) {
        let salts = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.salt) })
        let randomness = Randomness { purpose in
            switch purpose {
            case .salt(let name): salts[name] ?? []
            case .auxiliary: issuerAuxiliary
            }
        }
        var proof = try Proof.issue(
            kind: .mentoringSession, fields: fields.map { try Field(name: $0.name, value: $0.value) },
            owner: mentorKey.xOnlyPublicKey, issuer: issuerKey, network: .regtest, issuedAt: issuedAt,
            randomness: randomness)
        let transition = try proof.makeTransition(
            to: menteeKey.xOnlyPublicKey, paymentHash: preimage.paymentHash, createdAt: createdAt)
        try proof.append(
            transition,
            signature: mentorKey.signSchnorr(message: transition.sighash, auxiliaryRandomness: transitionAuxiliary))
        try proof.attachPreimage(preimage)
        return (proof, transition)
    }

    /// Every vector, as `name value` pairs in document order.
    static func vectors() throws -> [(String, String)] {
        let (proof, transition) = try vectorProof()
        let keys = try KeyDerivation(seed: seed)
        var vectors: [(String, String)] = [
            ("issuer_secret_key", Fixtures.bytes(0x01).hex),
            ("issuer_public_key", issuerKey.xOnlyPublicKey.bytes.hex),
            ("owner_secret_key", Fixtures.bytes(0x02).hex),
            ("owner_public_key", mentorKey.xOnlyPublicKey.bytes.hex),
            ("new_owner_secret_key", Fixtures.bytes(0x03).hex),
            ("new_owner_public_key", menteeKey.xOnlyPublicKey.bytes.hex),
        ]
        for salted in proof.fields {
            vectors.append(("field.\(salted.field.name).salt", salted.salt.hex))
        }
        vectors.append(("field.mentor.committed_bytes", proof.fields[0].canonicalBytes.hex))
        for salted in proof.fields {
            vectors.append(("field.\(salted.field.name).commitment", salted.commitment.hex))
        }
        vectors += [
            ("genesis_bytes", proof.genesis.canonicalBytes.hex),
            ("proof_id", proof.id.hex),
            ("issuer_aux_rand", issuerAuxiliary.hex),
            ("issuer_signature", proof.issuerSignature.bytes.hex),
            ("preimage", preimage.bytes.hex),
            ("payment_hash", preimage.paymentHash.hex),
            ("transition_bytes", transition.canonicalBytes.hex),
            ("transition_id", transition.id.hex),
            ("transition_aux_rand", transitionAuxiliary.hex),
            ("transition_signature", proof.transitions[0].signature.bytes.hex),
            ("seed", seed.hex),
            ("identity_public_key", keys.identityKey().xOnlyPublicKey.bytes.hex),
            ("account_42_public_key", try keys.accountKey(accountID: "42").xOnlyPublicKey.bytes.hex),
        ]
        return vectors
    }

    static func document() throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/proofs.md").standardizedFileURL
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The text of the fenced block that follows the line `marker` in `document`.
    static func block(after marker: String, in document: String) -> String? {
        guard let start = document.range(of: marker + "\n") else { return nil }
        let rest = document[start.upperBound...]
        guard rest.hasPrefix("```"), let open = rest.range(of: "\n") else { return nil }
        let lines = rest[open.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        guard let close = lines.firstIndex(where: { $0.hasPrefix("```") }) else { return nil }
        return lines[..<close].joined(separator: "\n")
    }

    @Test func vectorsInTheDocumentAreRecomputed() throws {
        let computed = try Self.vectors()
        let rendered = computed.map { "\($0.0.padding(toLength: 30, withPad: " ", startingAt: 0))\($0.1)" }
            .joined(separator: "\n")
        let written = try #require(Self.block(after: "<!-- golden-vectors -->", in: Self.document()))
        let pairs = written.split(separator: "\n").map { line in
            line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        }
        #expect(pairs.map { $0.first ?? "" } == computed.map(\.0), "computed:\n\(rendered)")
        #expect(pairs.map { $0.count == 2 ? $0[1] : "" } == computed.map(\.1), "computed:\n\(rendered)")
    }

    @Test func consignmentInTheDocumentIsRecomputedAndValid() throws {
        let consignment = try Self.vectorProof().proof.export()
        let computed = String(decoding: consignment.json(prettyPrinted: true), as: UTF8.self)
        let written = try #require(Self.block(after: "<!-- golden-consignment -->", in: Self.document()))
        #expect(written == computed, "computed:\n\(computed)")

        let decoded = try Consignment(json: Data(written.utf8))
        let result = ProofValidator(trustedIssuers: [Self.issuerKey.xOnlyPublicKey], network: .regtest)
            .validate(decoded)
        #expect(result.isValid)
        #expect(result.owner == Self.menteeKey.xOnlyPublicKey)
    }

    @Test func documentNamesEveryRuleAndTag() throws {
        let document = try Self.document()
        for rule in ValidationRule.all {
            #expect(document.contains("`\(rule.name)`"), "rule \(rule.name) missing from docs/proofs.md")
        }
        for tag in [SaltedField.tag, Genesis.tag, Transition.tag] {
            #expect(document.contains("`\(tag)`"))
        }
    }
}
