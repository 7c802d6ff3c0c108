import Foundation
import Proofs
import Secp256k1
import Testing

/// Recomputes the lifecycle golden vectors of docs/proofs.md (genesis version 2, attestations, redemption,
/// revocation, consignment version 2) and compares them with the values written there.
@Suite struct GoldenLifecycleVectorTests {
    static let issuerKey = Fixtures.key(0x01)
    static let ownerKey = Fixtures.key(0x02)
    static let buyerKey = Fixtures.key(0x05)
    static let merchantKey = Fixtures.key(0x06)
    static let gateKey = Fixtures.key(0x07)
    static let issuedAt: UInt64 = 1_714_550_400

    /// The vector ticket: issued with terms, attested by both attesters, redeemed at the gate, revoked.
    static func vectorProof() throws -> Proof {
        let randomness = Randomness { purpose in
            switch purpose {
            case .salt: Fixtures.bytes(0x16)
            case .auxiliary: Fixtures.bytes(0xa1)
            }
        }
        var proof = try Proof.issue(
            kind: ProofKind("ticket"), fields: [Field(name: "seat", value: "B12")], owner: ownerKey.xOnlyPublicKey,
            issuer: issuerKey, network: .regtest, issuedAt: issuedAt,
            terms: LifecycleTerms(
                expiresAt: 1_717_200_000, revocable: true,
                attesters: [buyerKey.xOnlyPublicKey, merchantKey.xOnlyPublicKey]),
            randomness: randomness)
        for (key, delay, auxiliary) in [(buyerKey, UInt64(60), UInt8(0xa3)), (merchantKey, 120, 0xa4)] {
            let attestation = try proof.makeAttestation(by: key.xOnlyPublicKey, attestedAt: issuedAt + delay)
            try proof.attest(
                attestation,
                signature: key.signSchnorr(message: attestation.sighash, auxiliaryRandomness: Fixtures.bytes(auxiliary))
            )
        }
        let redemption = try proof.makeRedemption(redeemer: gateKey.xOnlyPublicKey, redeemedAt: issuedAt + 86_400)
        try proof.redeem(
            redemption,
            ownerSignature: ownerKey.signSchnorr(
                message: redemption.sighash, auxiliaryRandomness: Fixtures.bytes(0xa5)),
            redeemerSignature: gateKey.signSchnorr(
                message: redemption.sighash, auxiliaryRandomness: Fixtures.bytes(0xa6)))
        let revocation = try proof.makeRevocation(revokedAt: issuedAt + 90_000)
        try proof.revoke(
            revocation,
            signature: issuerKey.signSchnorr(message: revocation.id.bytes, auxiliaryRandomness: Fixtures.bytes(0xa7)))
        return proof
    }

    static func vectors() throws -> [(String, String)] {
        let proof = try vectorProof()
        let redemption = try #require(proof.redemption)
        let revocation = try #require(proof.revocation)
        var vectors: [(String, String)] = [
            ("buyer_public_key", buyerKey.xOnlyPublicKey.bytes.hex),
            ("merchant_public_key", merchantKey.xOnlyPublicKey.bytes.hex),
            ("gate_public_key", gateKey.xOnlyPublicKey.bytes.hex),
            ("field.seat.commitment", proof.fields[0].commitment.hex),
            ("genesis_v2_bytes", proof.genesis.canonicalBytes.hex),
            ("proof_id", proof.id.hex),
            ("issuer_signature", proof.issuerSignature.bytes.hex),
        ]
        for (name, signed) in zip(["buyer", "merchant"], proof.attestations) {
            vectors += [
                ("attestation.\(name).bytes", signed.attestation.canonicalBytes.hex),
                ("attestation.\(name).id", signed.attestation.id.hex),
                ("attestation.\(name).signature", signed.signature.bytes.hex),
            ]
        }
        vectors += [
            ("redemption_bytes", redemption.redemption.canonicalBytes.hex),
            ("redemption_id", redemption.redemption.id.hex),
            ("redemption_owner_signature", redemption.ownerSignature.bytes.hex),
            ("redemption_redeemer_signature", try #require(redemption.redeemerSignature).bytes.hex),
            ("revocation_bytes", revocation.revocation.canonicalBytes.hex),
            ("revocation_id", revocation.revocation.id.hex),
            ("revocation_signature", revocation.signature.bytes.hex),
        ]
        return vectors
    }

    @Test func lifecycleVectorsInTheDocumentAreRecomputed() throws {
        let computed = try Self.vectors()
        let rendered = computed.map { "\($0.0.padding(toLength: 32, withPad: " ", startingAt: 0))\($0.1)" }
            .joined(separator: "\n")
        let written = try #require(
            GoldenVectorTests.block(after: "<!-- golden-vectors-lifecycle -->", in: GoldenVectorTests.document()))
        #expect(written == rendered, "computed:\n\(rendered)")
    }

    @Test func lifecycleConsignmentInTheDocumentIsRecomputedAndValid() throws {
        let consignment = try Self.vectorProof().export()
        let computed = String(decoding: consignment.json(prettyPrinted: true), as: UTF8.self)
        let written = try #require(
            GoldenVectorTests.block(after: "<!-- golden-consignment-lifecycle -->", in: GoldenVectorTests.document()))
        #expect(written == computed, "computed:\n\(computed)")

        let result = ProofValidator(trustedIssuers: [Self.issuerKey.xOnlyPublicKey], network: .regtest)
            .validate(try Consignment(json: Data(written.utf8)), at: Self.issuedAt + 100_000)
        #expect(result.failures == [])
        #expect(result.status == .revoked)
        #expect(result.missingAttesters == [])
    }

    @Test func documentNamesEveryLifecycleTag() throws {
        let document = try GoldenVectorTests.document()
        for tag in [Attestation.tag, Redemption.tag, Revocation.tag] {
            #expect(document.contains("`\(tag)`"))
        }
    }
}
