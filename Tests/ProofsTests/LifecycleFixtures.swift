import Foundation
import Proofs
import Secp256k1

/// Keys and proofs of the lifecycle tests: a ticket redeemed at a gate, a co-signed purchase, a revocable
/// badge.
enum LifecycleFixtures {
    static let buyerKey = Fixtures.key(0x05)
    static let merchantKey = Fixtures.key(0x06)
    static let gateKey = Fixtures.key(0x07)
    static var buyer: XOnlyPublicKey { buyerKey.xOnlyPublicKey }
    static var merchant: XOnlyPublicKey { merchantKey.xOnlyPublicKey }
    static var gate: XOnlyPublicKey { gateKey.xOnlyPublicKey }
    static let expiresAt: UInt64 = Fixtures.issuedAt + 86_400

    /// The session proof with terms: expiring, revocable, attested by buyer and merchant.
    static func termsProof(
        expiresAt: UInt64? = LifecycleFixtures.expiresAt, revocable: Bool = true,
        attesters: [XOnlyPublicKey] = [buyer, merchant]
    ) -> Proof {
        try! Proof.issue(
            kind: .purchase, fields: Fixtures.sessionFields, owner: Fixtures.mentor, issuer: Fixtures.issuerKey,
            network: .regtest, issuedAt: Fixtures.issuedAt,
            terms: LifecycleTerms(expiresAt: expiresAt, revocable: revocable, attesters: attesters),
            randomness: Fixtures.fixedRandomness)
    }

    /// `proof` attested by `signer`.
    static func attested(_ proof: Proof, by signer: PrivateKey) -> Proof {
        var proof = proof
        let attestation = try! proof.makeAttestation(by: signer.xOnlyPublicKey, attestedAt: Fixtures.issuedAt + 1)
        try! proof.attest(attestation, signature: signer.signSchnorr(message: attestation.sighash))
        return proof
    }

    /// `proof` redeemed by `owner`, co-signed by the gate.
    static func redeemed(_ proof: Proof, owner: PrivateKey, redeemer: PrivateKey? = gateKey) -> Proof {
        var proof = proof
        let redemption = try! proof.makeRedemption(
            redeemer: redeemer?.xOnlyPublicKey, redeemedAt: Fixtures.issuedAt + 100)
        try! proof.redeem(
            redemption, ownerSignature: owner.signSchnorr(message: redemption.sighash),
            redeemerSignature: redeemer?.signSchnorr(message: redemption.sighash))
        return proof
    }

    /// `proof` revoked by its issuer.
    static func revoked(_ proof: Proof) -> Proof {
        var proof = proof
        let revocation = try! proof.makeRevocation(revokedAt: Fixtures.issuedAt + 200)
        try! proof.revoke(revocation, signature: Fixtures.issuerKey.signSchnorr(message: revocation.id.bytes))
        return proof
    }

    /// A proof with every lifecycle record: both attestations, moved once, redeemed at the gate, revoked.
    static func everything() -> Proof {
        var proof = attested(attested(termsProof(), by: buyerKey), by: merchantKey)
        let transition = try! proof.makeTransition(to: Fixtures.mentee, createdAt: Fixtures.issuedAt + 2)
        try! proof.append(transition, signature: Fixtures.mentorKey.signSchnorr(message: transition.sighash))
        return revoked(redeemed(proof, owner: Fixtures.menteeKey))
    }

    /// A consignment with some lifecycle records replaced.
    static func consignment(
        _ base: Consignment, attestations: [SignedAttestation]? = nil, redemption: SignedRedemption?? = nil,
        revocation: SignedRevocation?? = nil
    ) -> Consignment {
        Consignment(
            genesis: base.genesis, issuerSignature: base.issuerSignature, transitions: base.transitions,
            disclosedFields: base.disclosedFields, attestations: attestations ?? base.attestations,
            redemption: redemption ?? base.redemption, revocation: revocation ?? base.revocation)
    }

    /// `redemption` signed by `owner` and, when given, `redeemer`.
    static func signed(_ redemption: Redemption, owner: PrivateKey, redeemer: PrivateKey?) -> SignedRedemption {
        SignedRedemption(
            redemption: redemption, ownerSignature: owner.signSchnorr(message: redemption.sighash),
            redeemerSignature: redeemer?.signSchnorr(message: redemption.sighash))
    }

    /// One consignment per lifecycle rule, each breaking exactly that rule.
    static let ruleCases: [RuleCase] = {
        let full = try! everything().export()
        let redemption = full.redemption!.redemption
        let attestation = full.attestations[0].attestation
        return [
            RuleCase(.redemptionIDMismatch, "stated redemption id differs") {
                try Fixtures.edited(full) { $0.set("redemption", "id", ValidationRuleTests.otherHash.hex) }
            },
            RuleCase(.redemptionSignatureInvalid, "redemption signed by a non-owner") {
                consignment(full, redemption: signed(redemption, owner: Fixtures.strangerKey, redeemer: gateKey))
            },
            RuleCase(.redeemerSignatureInvalid, "redemption without the gate's co-signature") {
                consignment(full, redemption: signed(redemption, owner: Fixtures.menteeKey, redeemer: nil))
            },
            RuleCase(.attesterUnknown, "attestation by a key not listed") {
                let stranger = Attestation(
                    proofID: full.genesis.id, attester: Fixtures.stranger, attestedAt: Fixtures.issuedAt)
                return consignment(
                    full,
                    attestations: full.attestations + [
                        SignedAttestation(
                            attestation: stranger,
                            signature: Fixtures.strangerKey.signSchnorr(message: stranger.sighash))
                    ])
            },
            RuleCase(.duplicateAttestation, "the buyer attests twice") {
                consignment(full, attestations: full.attestations + [full.attestations[0]])
            },
            RuleCase(.attestationSignatureInvalid, "forged buyer attestation") {
                consignment(
                    full,
                    attestations: [
                        SignedAttestation(
                            attestation: attestation,
                            signature: Fixtures.strangerKey.signSchnorr(message: attestation.sighash)),
                        full.attestations[1],
                    ])
            },
            RuleCase(.revocationNotAllowed, "revocation of a proof not revocable") {
                let proof = termsProof(revocable: false, attesters: [])
                let revocation = Revocation(proofID: proof.id, revokedAt: Fixtures.issuedAt + 5)
                return consignment(
                    try proof.export(),
                    revocation: SignedRevocation(
                        revocation: revocation, signature: Fixtures.issuerKey.signSchnorr(message: revocation.id.bytes))
                )
            },
            RuleCase(.revocationSignatureInvalid, "revocation signed by the owner") {
                let revocation = full.revocation!.revocation
                return consignment(
                    full,
                    revocation: SignedRevocation(
                        revocation: revocation, signature: Fixtures.mentorKey.signSchnorr(message: revocation.id.bytes))
                )
            },
        ]
    }()
}
