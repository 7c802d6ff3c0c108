import Proofs
import Secp256k1
import Testing

@Suite struct ChainTests {
    static let chain1000 = Fixtures.chain(length: 1000)

    @Test(arguments: [1, 100, 1000])
    func longChainsValidate(length: Int) throws {
        let proof = length == 1000 ? Self.chain1000 : Fixtures.chain(length: length)
        let consignment = try proof.export()
        let result = Fixtures.validator.validate(consignment)
        #expect(result.failures == [])
        #expect(result.owner == (length % 2 == 1 ? Fixtures.mentee : Fixtures.mentor))
        #expect(result.owner == proof.owner)
        #expect(result.tip == proof.tip)
        #expect(result.tip.sequence == UInt64(length))
        #expect(result.signatureVerifications == length + 1)
    }

    @Test func chainOf100SurvivesJSON() throws {
        let consignment = try Fixtures.chain(length: 100).export()
        #expect(try Consignment(json: consignment.json()) == consignment)
    }

    @Test func growingChainIsValidatedOnlyPastTheTip() throws {
        let first = Fixtures.validator.validate(try Fixtures.chain(length: 100).export())
        #expect(first.isValid)
        let grown = try Fixtures.chain(length: 110).export()
        let result = Fixtures.validator.validate(grown, resumingFrom: first.tip)
        #expect(result.isValid)
        #expect(result.signatureVerifications == 10)
        #expect(result.tip.sequence == 110)
        let full = Fixtures.validator.validate(grown)
        #expect(full.signatureVerifications == 111)
        #expect(result.owner == full.owner && result.tip == full.tip && result.disclosedFields == full.disclosedFields)
    }

    @Test func signaturesBeforeTheTipAreNotVerifiedAgainButLaterOnesAre() throws {
        let tip = Fixtures.validator.validate(try Fixtures.chain(length: 3).export()).tip
        var transitions = try Fixtures.chain(length: 5).export().transitions
        transitions[1] = Fixtures.signed(transitions[1].transition, by: Fixtures.strangerKey)
        let consignment = try Fixtures.chain(length: 5).export().replacing(transitions: transitions)
        let resumed = Fixtures.validator.validate(consignment, resumingFrom: tip)
        #expect(resumed.isValid)
        #expect(resumed.signatureVerifications == 2)
        #expect(Fixtures.validator.validate(consignment).failedRules == [.transitionSignatureInvalid])

        transitions[4] = Fixtures.signed(transitions[4].transition, by: Fixtures.strangerKey)
        let brokenSuffix = consignment.replacing(transitions: transitions)
        #expect(
            Fixtures.validator.validate(brokenSuffix, resumingFrom: tip).failedRules == [.transitionSignatureInvalid])
    }

    @Test func cheapRulesStillApplyBeforeTheTip() throws {
        let consignment = try Fixtures.chain(length: 3).export()
        let tip = Fixtures.validator.validate(consignment).tip
        var fields = consignment.disclosedFields
        fields[0] = try SaltedField(Field(name: "mentor", value: "Mallory"), salt: fields[0].salt)
        let result = Fixtures.validator.validate(consignment.replacing(disclosedFields: fields), resumingFrom: tip)
        #expect(result.failedRules == [.fieldCommitmentMismatch])
        #expect(result.signatureVerifications == 0)
    }

    @Test func tipNotInTheConsignmentMeansFullValidation() throws {
        let other = Fixtures.validator.validate(try Fixtures.chain(length: 2).export()).tip
        let foreignTip = ChainTip(proofID: other.proofID, stateID: try Hash256(bytes: Fixtures.bytes(7)), sequence: 2)
        let consignment = try Fixtures.chain(length: 4).export()
        #expect(Fixtures.validator.validate(consignment, resumingFrom: foreignTip).signatureVerifications == 5)
        let tooLong = ChainTip(proofID: other.proofID, stateID: other.stateID, sequence: 9)
        #expect(Fixtures.validator.validate(consignment, resumingFrom: tooLong).signatureVerifications == 5)
        let genesisTip = ChainTip(proofID: other.proofID, stateID: other.proofID, sequence: 0)
        #expect(Fixtures.validator.validate(consignment, resumingFrom: genesisTip).signatureVerifications == 4)
    }

    @Test func pendingTipCompletedLaterNeedsNoSignatureCheck() throws {
        var proof = Fixtures.chain(length: 1)
        let transition = try proof.makeTransition(
            to: Fixtures.stranger, paymentHash: Fixtures.preimage.paymentHash, createdAt: Fixtures.issuedAt + 50)
        try proof.append(transition, signature: Fixtures.menteeKey.signSchnorr(message: transition.sighash))
        let pending = Fixtures.validator.validate(try proof.export())
        #expect(pending.status == .transferPending)
        #expect(pending.owner == Fixtures.mentee)

        try proof.attachPreimage(Fixtures.preimage)
        let paid = Fixtures.validator.validate(try proof.export(), resumingFrom: pending.tip)
        #expect(paid.isValid)
        #expect(paid.signatureVerifications == 0)
        #expect(paid.status == .active)
        #expect(paid.owner == Fixtures.stranger)
    }
}
