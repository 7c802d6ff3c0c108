import Secp256k1

/// The rules of the lifecycle records: attestations, the redemption and the revocation
/// (docs/proofs.md, "Validation rules").
extension ProofValidator {
    /// Checks each attestation; returns those that verified.
    static func checkAttestations(
        _ consignment: Consignment, failures: inout [ValidationFailure], verifications: inout Int
    ) -> [SignedAttestation] {
        let genesis = consignment.genesis
        let attesters = Set(genesis.terms.attesters)
        var attested = Set<XOnlyPublicKey>()
        var valid = [SignedAttestation]()
        for (index, signed) in consignment.attestations.enumerated() {
            let attestation = signed.attestation
            let path = "attestations[\(index)]"
            if attestation.version != Attestation.currentVersion {
                failures.append(ValidationFailure(.unsupportedVersion, "\(path): version \(attestation.version)"))
            }
            if attestation.proofID != genesis.id {
                failures.append(ValidationFailure(.proofIDMismatch, "\(path) attests proof \(attestation.proofID)"))
            }
            guard attesters.contains(attestation.attester) else {
                failures.append(ValidationFailure(.attesterUnknown, "\(path): \(attestation.attester) is no attester"))
                continue
            }
            guard attested.insert(attestation.attester).inserted else {
                failures.append(
                    ValidationFailure(.duplicateAttestation, "\(path): \(attestation.attester) attested twice"))
                continue
            }
            verifications += 1
            guard attestation.attester.isValidSignature(signed.signature, message: attestation.sighash) else {
                failures.append(
                    ValidationFailure(.attestationSignatureInvalid, "\(path): not signed by \(attestation.attester)"))
                continue
            }
            if attestation.version == Attestation.currentVersion, attestation.proofID == genesis.id {
                valid.append(signed)
            }
        }
        return valid
    }

    /// Checks the revocation against the genesis terms and the issuer's key.
    static func checkRevocation(
        _ signed: SignedRevocation, of genesis: Genesis, failures: inout [ValidationFailure], verifications: inout Int
    ) {
        let revocation = signed.revocation
        if revocation.version != Revocation.currentVersion {
            failures.append(ValidationFailure(.unsupportedVersion, "revocation: version \(revocation.version)"))
        }
        if revocation.proofID != genesis.id {
            failures.append(ValidationFailure(.proofIDMismatch, "revocation revokes proof \(revocation.proofID)"))
        }
        if !genesis.terms.revocable {
            failures.append(ValidationFailure(.revocationNotAllowed, "revocation: the genesis is not revocable"))
        }
        verifications += 1
        if !genesis.issuer.isValidSignature(signed.signature, message: revocation.id.bytes) {
            failures.append(
                ValidationFailure(.revocationSignatureInvalid, "revocation: not signed by the issuer \(genesis.issuer)")
            )
        }
    }
}

extension ChainWalk {
    /// Ends the chain with `signed`: it must spend the last state, be signed by its owner and, when it
    /// names a redeemer, by the redeemer. A redemption of a state a transition already spent is a double
    /// transfer (nothing can follow a redemption, and a redemption cannot skip back).
    mutating func addRedemption(
        _ signed: SignedRedemption, failures: inout [ValidationFailure], verifications: inout Int
    ) {
        let redemption = signed.redemption
        func fail(_ rule: ValidationRule, _ detail: String) {
            failures.append(ValidationFailure(rule, "redemption: \(detail)"))
        }
        if signed.statedID != redemption.id {
            fail(.redemptionIDMismatch, "stated \(signed.statedID), computed \(redemption.id)")
        }
        if redemption.version != Redemption.currentVersion {
            fail(.unsupportedVersion, "version \(redemption.version)")
        }
        if redemption.proofID != proofID {
            fail(.proofIDMismatch, "redeems proof \(redemption.proofID)")
        }
        let spent = stateNumbers[redemption.previous]
        if let spent, spent < spenders.count {
            verifications += 1
            if owners[spent].isValidSignature(signed.ownerSignature, message: redemption.sighash) {
                fail(.doubleTransfer, "state \(redemption.previous) is already spent by \(spenders[spent])")
            } else {
                fail(.redemptionSignatureInvalid, "not signed by \(owners[spent]), the owner of the state it spends")
            }
            return
        }
        if spent == nil { fail(.chainBrokenLink, "previous is \(redemption.previous), expected \(stateID)") }
        if redemption.sequence != sequence &+ 1 {
            fail(.chainSequenceGap, "sequence \(redemption.sequence) after \(sequence)")
        }
        if let pending {
            failures.append(
                ValidationFailure(
                    .paymentPendingNotLast, transitionIndex: pending.index,
                    "payment-bound transition without preimage is followed by the redemption"))
        }
        verifications += 1
        if !stateOwner.isValidSignature(signed.ownerSignature, message: redemption.sighash) {
            fail(.redemptionSignatureInvalid, "not signed by \(stateOwner), the owner at sequence \(sequence)")
        }
        switch (redemption.redeemer, signed.redeemerSignature) {
        case (nil, nil):
            break
        case (nil, .some):
            fail(.redeemerSignatureInvalid, "a redeemer signature without a redeemer")
        case (.some(let redeemer), nil):
            fail(.redeemerSignatureInvalid, "the redeemer \(redeemer) has not signed")
        case (.some(let redeemer), .some(let signature)):
            verifications += 1
            if !redeemer.isValidSignature(signature, message: redemption.sighash) {
                fail(.redeemerSignatureInvalid, "not signed by the redeemer \(redeemer)")
            }
        }
    }
}

extension LifecycleTerms {
    /// Whether the proof has expired at `now` (never when either is `nil`).
    func isExpired(at now: UInt64?) -> Bool {
        guard let now, let expiresAt else { return false }
        return now >= expiresAt
    }
}
