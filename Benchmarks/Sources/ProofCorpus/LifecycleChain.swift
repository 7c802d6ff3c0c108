import Proofs
import Secp256k1

/// A proof with every lifecycle record (docs/proofs.md): issued revocable with two attesters, attested by
/// both, moved `length` times, redeemed with a co-signing redeemer and revoked; and every BIP340 signature
/// its consignment carries, for the bare baseline.
public struct LifecycleChain: Sendable {
    /// The consignment (version 2).
    public let consignment: Consignment
    /// The issuer's, the attestations', the transitions', the redemption's two and the revocation's signatures.
    public let signatures: [ProofChain.Signature]

    /// Builds the proof from the fixed benchmark keys.
    public init(length: Int) {
        let owners = (1...(length + 1)).map(ProofChain.key)
        let attesters = [ProofChain.key(9_001), ProofChain.key(9_002)]
        let gate = ProofChain.key(9_003)
        let issuer = ProofChain.issuer
        var proof = try! Proof.issue(
            kind: .purchase, fields: ProofChain.fields, owner: owners[0].xOnlyPublicKey, issuer: issuer,
            network: .regtest, issuedAt: ProofChain.issuedAt,
            terms: try! LifecycleTerms(revocable: true, attesters: attesters.map(\.xOnlyPublicKey)))
        var signatures = [ProofChain.Signature(proof.genesis.issuer, proof.id.bytes, proof.issuerSignature)]
        for attester in attesters {
            let attestation = try! proof.makeAttestation(by: attester.xOnlyPublicKey, attestedAt: ProofChain.issuedAt)
            let signature = attester.signSchnorr(message: attestation.sighash)
            try! proof.attest(attestation, signature: signature)
            signatures.append(ProofChain.Signature(attester.xOnlyPublicKey, attestation.sighash, signature))
        }
        for step in 0..<length {
            let transition = try! proof.makeTransition(
                to: owners[step + 1].xOnlyPublicKey, createdAt: ProofChain.issuedAt + UInt64(step + 1))
            let signature = owners[step].signSchnorr(message: transition.sighash)
            try! proof.append(transition, signature: signature)
            signatures.append(ProofChain.Signature(owners[step].xOnlyPublicKey, transition.sighash, signature))
        }
        let redemption = try! proof.makeRedemption(redeemer: gate.xOnlyPublicKey, redeemedAt: ProofChain.issuedAt)
        let ownerSignature = owners[length].signSchnorr(message: redemption.sighash)
        let gateSignature = gate.signSchnorr(message: redemption.sighash)
        try! proof.redeem(redemption, ownerSignature: ownerSignature, redeemerSignature: gateSignature)
        let revocation = try! proof.makeRevocation(revokedAt: ProofChain.issuedAt)
        let revocationSignature = issuer.signSchnorr(message: revocation.id.bytes)
        try! proof.revoke(revocation, signature: revocationSignature)
        signatures += [
            ProofChain.Signature(owners[length].xOnlyPublicKey, redemption.sighash, ownerSignature),
            ProofChain.Signature(gate.xOnlyPublicKey, redemption.sighash, gateSignature),
            ProofChain.Signature(issuer.xOnlyPublicKey, revocation.id.bytes, revocationSignature),
        ]
        consignment = try! proof.export()
        self.signatures = signatures
    }
}

extension ProofChain.Signature {
    init(_ key: XOnlyPublicKey, _ message: [UInt8], _ signature: SchnorrSignature) {
        self.init(publicKey: key.bytes, message: message, signature: signature.bytes)
    }
}
