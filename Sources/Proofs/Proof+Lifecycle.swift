import Secp256k1

/// The builders of a proof's life after issue: attestations, redemption and revocation
/// (docs/proofs.md, "Lifecycle"). Each has a `make…` step that returns what to sign and a step that adds
/// the signed record after checking its signature, so an external key can sign in between.
extension Proof {
    /// The genesis attesters that have not attested yet, ascending.
    public var missingAttesters: [XOnlyPublicKey] {
        genesis.terms.attesters.filter { attester in !attestations.contains { $0.attestation.attester == attester } }
    }

    /// Throws unless the proof can still be transferred or redeemed.
    ///
    /// - Throws: `proof_revoked`, `double_transfer` (redeemed: its last state is spent), `transfer_pending`.
    public func checkCanMove() throws(ProofError) {
        if revocation != nil { throw ProofError(.proofRevoked, "the issuer revoked the proof") }
        if redemption != nil { throw ProofError(.doubleTransfer, "the proof was redeemed; nothing can follow") }
        if pendingTransition != nil {
            throw ProofError(.transferPending, "the last transfer waits for its payment preimage")
        }
    }

    /// The unsigned attestation of `attester`, which it signs (``Attestation/sighash``).
    ///
    /// - Throws: `not_an_attester`, `already_attested`.
    public func makeAttestation(by attester: XOnlyPublicKey, attestedAt: UInt64) throws(ProofError) -> Attestation {
        guard genesis.terms.attesters.contains(attester) else {
            throw ProofError(.notAnAttester, "\(attester) is not an attester of this proof")
        }
        guard !attestations.contains(where: { $0.attestation.attester == attester }) else {
            throw ProofError(.alreadyAttested, "\(attester) already attested this proof")
        }
        return Attestation(proofID: id, attester: attester, attestedAt: attestedAt)
    }

    /// Adds `attestation` with its attester's `signature`.
    ///
    /// - Throws: `not_an_attester`, `already_attested`, `invalid_signature`.
    public mutating func attest(_ attestation: Attestation, signature: SchnorrSignature) throws(ProofError) {
        let expected = try makeAttestation(by: attestation.attester, attestedAt: attestation.attestedAt)
        guard expected == attestation else {
            throw ProofError(.invalidSignature, "the attestation is not of this proof")
        }
        guard attestation.attester.isValidSignature(signature, message: attestation.sighash) else {
            throw ProofError(.invalidSignature, "attestation not signed by \(attestation.attester)")
        }
        attestations.append(SignedAttestation(attestation: attestation, signature: signature))
    }

    /// The unsigned redemption of the last state, which the owner and the `redeemer` (if any) sign.
    ///
    /// - Throws: `double_transfer` when already redeemed, `proof_revoked`, `transfer_pending`.
    public func makeRedemption(redeemer: XOnlyPublicKey?, redeemedAt: UInt64) throws(ProofError) -> Redemption {
        try checkCanMove()
        let tip = tip
        return Redemption(
            proofID: id, previous: tip.stateID, sequence: tip.sequence + 1, redeemer: redeemer,
            redeemedAt: redeemedAt)
    }

    /// Ends the proof with `redemption`, signed by the current owner and by its redeemer when it names one.
    ///
    /// - Throws: `double_transfer`, `proof_revoked`, `transfer_pending`; `stale_transition` when it does not
    ///   spend the last state; `invalid_signature` when a signature is missing or does not verify.
    public mutating func redeem(
        _ redemption: Redemption, ownerSignature: SchnorrSignature, redeemerSignature: SchnorrSignature?
    ) throws(ProofError) {
        try checkCanMove()
        let tip = tip
        guard redemption.proofID == id, redemption.previous == tip.stateID, redemption.sequence == tip.sequence + 1
        else { throw ProofError(.staleTransition, "redemption does not spend the state at sequence \(tip.sequence)") }
        guard owner.isValidSignature(ownerSignature, message: redemption.sighash) else {
            throw ProofError(.invalidSignature, "redemption not signed by the current owner \(owner)")
        }
        if let redeemer = redemption.redeemer {
            guard let redeemerSignature, redeemer.isValidSignature(redeemerSignature, message: redemption.sighash)
            else { throw ProofError(.invalidSignature, "redemption not signed by the redeemer \(redeemer)") }
        } else if redeemerSignature != nil {
            throw ProofError(.invalidSignature, "a redeemer signature for a redemption without redeemer")
        }
        self.redemption = SignedRedemption(
            redemption: redemption, ownerSignature: ownerSignature, redeemerSignature: redeemerSignature)
    }

    /// The unsigned revocation, which the issuer signs (its ``Revocation/id``).
    ///
    /// - Throws: `not_revocable`, `already_revoked`.
    public func makeRevocation(revokedAt: UInt64) throws(ProofError) -> Revocation {
        guard genesis.terms.revocable else {
            throw ProofError(.notRevocable, "the proof was not issued revocable")
        }
        guard revocation == nil else { throw ProofError(.alreadyRevoked, "the proof is already revoked") }
        return Revocation(proofID: id, revokedAt: revokedAt)
    }

    /// Adds the issuer's revocation.
    ///
    /// - Throws: `not_revocable`, `already_revoked`, `invalid_signature`.
    public mutating func revoke(_ revocation: Revocation, signature: SchnorrSignature) throws(ProofError) {
        let expected = try makeRevocation(revokedAt: revocation.revokedAt)
        guard expected == revocation, genesis.issuer.isValidSignature(signature, message: revocation.id.bytes) else {
            throw ProofError(.invalidSignature, "revocation not signed by the issuer \(genesis.issuer)")
        }
        self.revocation = SignedRevocation(revocation: revocation, signature: signature)
    }
}
