import Foundation
import Proofs
import Secp256k1
import Testing

@Suite struct LifecycleTests {
    typealias L = LifecycleFixtures

    /// Exports `proof`, decodes the JSON and validates it at `now`.
    func roundTrip(_ proof: Proof, at now: UInt64? = nil) throws -> ValidationResult {
        let consignment = try Consignment(json: proof.export().json())
        #expect(consignment == (try proof.export()))
        return Fixtures.validator.validate(consignment, at: now)
    }

    @Test func ticketIsRedeemedAtTheGateOnceAndForAll() throws {
        var ticket = Fixtures.sessionProof()
        let sale = try ticket.makeTransition(
            to: Fixtures.mentee, paymentHash: Fixtures.preimage.paymentHash, createdAt: Fixtures.issuedAt + 1)
        try ticket.append(sale, signature: Fixtures.mentorKey.signSchnorr(message: sale.sighash))
        #expect(throws: ProofError(.transferPending, "the last transfer waits for its payment preimage")) {
            try ticket.makeRedemption(redeemer: L.gate, redeemedAt: Fixtures.issuedAt + 2)
        }
        try ticket.attachPreimage(Fixtures.preimage)
        let redeemed = L.redeemed(ticket, owner: Fixtures.menteeKey)
        #expect(redeemed.status == .redeemed)

        let result = try roundTrip(redeemed)
        #expect(result.failures == [])
        #expect(result.status == .redeemed)
        #expect(result.owner == Fixtures.mentee)
        #expect(result.redemption?.redemption.redeemer == L.gate)
        #expect(result.redemption?.redemption.redeemedAt == Fixtures.issuedAt + 100)
        #expect(try redeemed.export().documentVersion == Consignment.lifecycleVersion)

        #expect(throws: ProofError(.doubleTransfer, "the proof was redeemed; nothing can follow")) {
            try redeemed.makeRedemption(redeemer: nil, redeemedAt: Fixtures.issuedAt + 3)
        }
        #expect(throws: ProofError(.doubleTransfer, "the proof was redeemed; nothing can follow")) {
            try redeemed.makeTransition(to: Fixtures.stranger, createdAt: Fixtures.issuedAt + 3)
        }
    }

    @Test func redemptionNeedsTheGatesSignatureAndTheOwners() throws {
        let ticket = Fixtures.sessionProof()
        var copy = ticket
        let redemption = try ticket.makeRedemption(redeemer: L.gate, redeemedAt: Fixtures.issuedAt + 1)
        let owner = Fixtures.mentorKey.signSchnorr(message: redemption.sighash)
        #expect(throws: ProofError.self) { try copy.redeem(redemption, ownerSignature: owner, redeemerSignature: nil) }
        #expect(throws: ProofError.self) {
            try copy.redeem(
                redemption, ownerSignature: L.gateKey.signSchnorr(message: redemption.sighash),
                redeemerSignature: L.gateKey.signSchnorr(message: redemption.sighash))
        }
        #expect(copy.redemption == nil)
    }

    @Test func aRedemptionOfASpentStateIsADoubleTransfer() throws {
        let original = Fixtures.sessionProof()
        let moved = Fixtures.chain(length: 1)
        let early = try original.makeRedemption(redeemer: nil, redeemedAt: Fixtures.issuedAt + 50)
        let consignment = L.consignment(
            try moved.export(), redemption: L.signed(early, owner: Fixtures.mentorKey, redeemer: nil))
        #expect(Fixtures.validator.validate(consignment).failedRules == [.doubleTransfer])

        let stored = try L.redeemed(original, owner: Fixtures.mentorKey, redeemer: nil).export().spends
        let conflicts = ProofValidator.conflicts(stored: stored, incoming: try moved.export().spends)
        #expect(conflicts.map(\.rule) == [.doubleTransfer])
        #expect(ProofValidator.conflicts(stored: stored, incoming: stored) == [])
    }

    @Test func coSignedPurchaseIsIncompleteUntilEveryAttesterSigned() throws {
        let issued = L.termsProof()
        #expect(issued.status == .incomplete)
        #expect(
            issued.missingAttesters == [L.buyer, L.merchant].sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) })
        let result = try roundTrip(issued)
        #expect(result.isValid)
        #expect(result.status == .incomplete)
        #expect(Set(result.missingAttesters) == [L.buyer, L.merchant])

        let byBuyer = L.attested(issued, by: L.buyerKey)
        #expect(try roundTrip(byBuyer).missingAttesters == [L.merchant])
        #expect(throws: ProofError(.alreadyAttested, "\(L.buyer) already attested this proof")) {
            try byBuyer.makeAttestation(by: L.buyer, attestedAt: 1)
        }
        #expect(throws: ProofError(.notAnAttester, "\(Fixtures.stranger) is not an attester of this proof")) {
            try byBuyer.makeAttestation(by: Fixtures.stranger, attestedAt: 1)
        }
        let complete = L.attested(byBuyer, by: L.merchantKey)
        let final = try roundTrip(complete)
        #expect(final.failures == [])
        #expect(final.status == .active)
        #expect(final.missingAttesters == [])
        #expect(final.attestations.map(\.attestation.attester) == [L.buyer, L.merchant])

        var forged = byBuyer
        let attestation = try forged.makeAttestation(by: L.merchant, attestedAt: 9)
        #expect(throws: ProofError(.invalidSignature, "attestation not signed by \(L.merchant)")) {
            try forged.attest(attestation, signature: L.buyerKey.signSchnorr(message: attestation.sighash))
        }
    }

    @Test func onlyARevocableProofIsRevokedAndOnlyByItsIssuer() throws {
        let revoked = L.revoked(L.termsProof(attesters: []))
        let result = try roundTrip(revoked)
        #expect(result.failures == [])
        #expect(result.status == .revoked)
        #expect(result.revocation?.revocation.revokedAt == Fixtures.issuedAt + 200)
        #expect(throws: ProofError(.alreadyRevoked, "the proof is already revoked")) {
            try revoked.makeRevocation(revokedAt: 1)
        }
        #expect(throws: ProofError(.proofRevoked, "the issuer revoked the proof")) {
            try revoked.makeTransition(to: Fixtures.mentee, createdAt: 1)
        }
        #expect(throws: ProofError(.notRevocable, "the proof was not issued revocable")) {
            try Fixtures.sessionProof().makeRevocation(revokedAt: 1)
        }
    }

    @Test func expiryIsReportedFromItsTimeOnAndStaysValid() throws {
        let proof = L.termsProof(attesters: [])
        #expect(try roundTrip(proof, at: L.expiresAt - 1).status == .active)
        let expired = try roundTrip(proof, at: L.expiresAt)
        #expect(expired.status == .expired)
        #expect(expired.isValid)
        #expect(proof.status(at: L.expiresAt) == .expired)
        #expect(try roundTrip(proof).status == .active)
    }

    @Test func statusPrecedenceIsRevokedRedeemedExpiredPendingIncomplete() throws {
        let everything = L.everything()
        let result = try roundTrip(everything, at: L.expiresAt + 1)
        #expect(result.failures == [])
        #expect(result.status == .revoked)
        #expect(result.signatureVerifications == 7)
    }

    @Test func version1ProofsStillWriteVersion1Documents() throws {
        let consignment = try Fixtures.chain(length: 1).export()
        #expect(consignment.documentVersion == Consignment.currentVersion)
        let object = try JSONSerialization.jsonObject(with: consignment.json()) as! [String: Any]
        #expect(object["version"] as? Int == 1)
        #expect(object["redemption"] == nil)
    }

    @Test func version1DocumentWithLifecycleKeysIsRefused() throws {
        let consignment = try Fixtures.chain(length: 1).export()
        #expect(throws: ProofError(.malformedConsignment, "document.redemption: only a version 2 document carries it"))
        {
            try Fixtures.edited(consignment) { $0["redemption"] = NSNull() }
        }
        let full = try L.everything().export()
        #expect(
            throws: ProofError(.malformedConsignment, "document.attestations: only a version 2 document carries it")
        ) {
            try Fixtures.edited(full) { $0["version"] = 1 }
        }
    }

    @Test func version2DocumentHasExactlyItsKeys() throws {
        let full = try L.everything().export()
        #expect(throws: ProofError(.malformedConsignment, "document.extra: unknown key in a version 2 document")) {
            try Fixtures.edited(full) { $0["extra"] = 1 }
        }
        #expect(throws: ProofError(.malformedConsignment, "redemption.redeemer_signature: missing")) {
            try Fixtures.edited(full) { object in
                var redemption = object["redemption"] as! [String: Any]
                redemption["redeemer_signature"] = nil
                object["redemption"] = redemption
            }
        }
        #expect(throws: ProofError(.malformedConsignment, "genesis.expires_at: missing")) {
            try Fixtures.edited(full) { object in
                var genesis = object["genesis"] as! [String: Any]
                genesis["expires_at"] = nil
                object["genesis"] = genesis
            }
        }
    }
}
