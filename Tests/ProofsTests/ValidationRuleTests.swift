import Proofs
import Secp256k1
import Testing

/// A consignment that breaks exactly one rule.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let rule: ValidationRule
    let testDescription: String
    let make: @Sendable () throws -> Consignment
    var validator = Fixtures.validator

    init(
        _ rule: ValidationRule, _ description: String, validator: ProofValidator = Fixtures.validator,
        _ make: @escaping @Sendable () throws -> Consignment
    ) {
        self.rule = rule
        testDescription = description
        self.validator = validator
        self.make = make
    }
}

@Suite struct ValidationRuleTests {
    /// The session proof moved once, mentor → mentee.
    static let oneStep = try! Fixtures.chain(length: 1).export()
    /// The session proof moved twice, mentor → mentee → mentor.
    static let twoSteps = try! Fixtures.chain(length: 2).export()
    static var first: Transition { oneStep.transitions[0].transition }
    static let otherHash = try! Hash256(bytes: Fixtures.bytes(0x99))

    /// One case per rule: those of the chain, then those of the lifecycle records.
    static let cases: [RuleCase] = chainCases + LifecycleFixtures.ruleCases

    static let chainCases: [RuleCase] = [
        RuleCase(.fieldCommitmentMismatch, "tampered field value") {
            var fields = twoSteps.disclosedFields
            fields[2] = try SaltedField(Field(name: "topic", value: "Opening Lightning channel"), salt: fields[2].salt)
            return twoSteps.replacing(disclosedFields: fields)
        },
        RuleCase(.fieldCommitmentMismatch, "wrong salt") {
            var fields = twoSteps.disclosedFields
            fields[0] = try SaltedField(fields[0].field, salt: Fixtures.bytes(0x12))
            return twoSteps.replacing(disclosedFields: fields)
        },
        RuleCase(.duplicateField, "field disclosed twice") {
            twoSteps.replacing(disclosedFields: twoSteps.disclosedFields + [twoSteps.disclosedFields[1]])
        },
        RuleCase(.issuerSignatureInvalid, "proof id signed by another key") {
            Consignment(
                genesis: twoSteps.genesis,
                issuerSignature: Fixtures.strangerKey.signSchnorr(message: twoSteps.genesis.id.bytes),
                transitions: twoSteps.transitions, disclosedFields: twoSteps.disclosedFields)
        },
        RuleCase(.genesisIDMismatch, "stated proof id differs") {
            try Fixtures.edited(twoSteps) { $0["proof_id"] = otherHash.hex }
        },
        RuleCase(.transitionIDMismatch, "stated transition id differs") {
            try Fixtures.edited(twoSteps) { $0.set("transitions", 1, "id", otherHash.hex) }
        },
        RuleCase(.proofIDMismatch, "transition of another proof") {
            oneStep.replacing(transitions: [Fixtures.signed(first.with(proofID: otherHash), by: Fixtures.mentorKey)])
        },
        RuleCase(.chainBrokenLink, "previous is not the last state") {
            oneStep.replacing(transitions: [Fixtures.signed(first.with(previous: otherHash), by: Fixtures.mentorKey)])
        },
        RuleCase(.chainSequenceGap, "sequence skips one") {
            oneStep.replacing(transitions: [Fixtures.signed(first.with(sequence: 2), by: Fixtures.mentorKey)])
        },
        RuleCase(.transitionSignatureInvalid, "signed by a non-owner") {
            oneStep.replacing(transitions: [Fixtures.signed(first, by: Fixtures.strangerKey)])
        },
        RuleCase(.transitionSignatureInvalid, "signed by the new owner instead of the current one") {
            oneStep.replacing(transitions: [Fixtures.signed(first, by: Fixtures.menteeKey)])
        },
        RuleCase(.preimageMismatch, "wrong preimage") {
            let bound = first.with(paymentHash: Fixtures.preimage.paymentHash)
            let wrong = try Preimage(bytes: Fixtures.bytes(0x45))
            return oneStep.replacing(transitions: [Fixtures.signed(bound, by: Fixtures.mentorKey, preimage: wrong)])
        },
        RuleCase(.preimageMismatch, "preimage on a transition without payment hash") {
            oneStep.replacing(transitions: [Fixtures.signed(first, by: Fixtures.mentorKey, preimage: Fixtures.preimage)]
            )
        },
        RuleCase(.paymentPendingNotLast, "unpaid transition followed by another") {
            let bound = first.with(paymentHash: Fixtures.preimage.paymentHash)
            let next = twoSteps.transitions[1].transition.with(previous: bound.id)
            return twoSteps.replacing(transitions: [
                Fixtures.signed(bound, by: Fixtures.mentorKey), Fixtures.signed(next, by: Fixtures.menteeKey),
            ])
        },
        RuleCase(.doubleTransfer, "two transitions spend the genesis") {
            let proof = Fixtures.chain(length: 1)
            let branch = Fixtures.sessionProof()
            let other = try branch.makeTransition(to: Fixtures.stranger, createdAt: Fixtures.issuedAt + 5)
            return oneStep.replacing(transitions: proof.transitions + [Fixtures.signed(other, by: Fixtures.mentorKey)])
        },
        RuleCase(.unsupportedVersion, "genesis version 3") {
            let genesis = try Genesis(
                version: 3, kind: .mentoringSession, network: .regtest, issuer: Fixtures.issuer,
                issuedAt: Fixtures.issuedAt, fieldCommitments: twoSteps.genesis.fieldCommitments, owner: Fixtures.mentor
            )
            return Consignment(
                genesis: genesis, issuerSignature: Fixtures.issuerKey.signSchnorr(message: genesis.id.bytes),
                transitions: [], disclosedFields: twoSteps.disclosedFields)
        },
        RuleCase(.unsupportedVersion, "transition version 2") {
            let future = Transition(
                version: 2, proofID: first.proofID, previous: first.previous, sequence: 1, newOwner: first.newOwner,
                paymentHash: nil, createdAt: first.createdAt)
            return oneStep.replacing(transitions: [Fixtures.signed(future, by: Fixtures.mentorKey)])
        },
        RuleCase(
            .networkMismatch, "regtest proof on mainnet",
            validator: ProofValidator(
                trustedIssuers: [Fixtures.issuer], network: .mainnet)
        ) { twoSteps },
    ]

    @Test func untouchedConsignmentsAreValid() {
        for consignment in [Self.oneStep, Self.twoSteps] {
            let result = Fixtures.validator.validate(consignment)
            #expect(result.failures == [])
            #expect(result.isValid)
            #expect(result.issuerTrusted)
            #expect(result.status == .active)
        }
        #expect(Fixtures.validator.validate(Self.oneStep).owner == Fixtures.mentee)
        #expect(Fixtures.validator.validate(Self.twoSteps).owner == Fixtures.mentor)
    }

    @Test(arguments: cases)
    func breakingOneRuleReportsExactlyThatRule(_ ruleCase: RuleCase) throws {
        let result = ruleCase.validator.validate(try ruleCase.make())
        #expect(result.failedRules == [ruleCase.rule], "\(result.failures)")
        #expect(!result.isValid)
    }

    @Test func everyRuleHasANegativeCase() {
        #expect(Set(Self.cases.map(\.rule)) == Set(ValidationRule.all))
        #expect(Set(ValidationRule.all.map(\.name)).count == ValidationRule.all.count)
    }

    @Test func failuresAreAllListed() throws {
        var fields = Self.oneStep.disclosedFields
        fields[0] = try SaltedField(fields[0].field, salt: Fixtures.bytes(0x00))
        let broken = Consignment(
            genesis: Self.oneStep.genesis,
            issuerSignature: Fixtures.strangerKey.signSchnorr(message: Self.oneStep.genesis.id.bytes),
            transitions: [Fixtures.signed(Self.first.with(sequence: 7), by: Fixtures.strangerKey)],
            disclosedFields: fields + [fields[1]])
        let result = Fixtures.validator.validate(broken)
        #expect(
            result.failedRules == [
                .issuerSignatureInvalid, .fieldCommitmentMismatch, .duplicateField, .chainSequenceGap,
                .transitionSignatureInvalid,
            ])
        #expect(result.failures.first { $0.rule == .chainSequenceGap }?.transitionIndex == 0)
        #expect(result.disclosedFields.map(\.name) == ["mentee", "topic", "date", "duration_min"])
    }

    @Test func unpaidLastTransitionIsPendingNotFailed() throws {
        let bound = Self.first.with(paymentHash: Fixtures.preimage.paymentHash)
        let consignment = Self.oneStep.replacing(transitions: [Fixtures.signed(bound, by: Fixtures.mentorKey)])
        let result = Fixtures.validator.validate(consignment)
        #expect(result.isValid)
        #expect(result.status == .transferPending)
        #expect(result.owner == Fixtures.mentor)
        #expect(result.pendingTransition == bound)

        let paid = consignment.replacing(transitions: [
            Fixtures.signed(bound, by: Fixtures.mentorKey, preimage: Fixtures.preimage)
        ])
        let final = Fixtures.validator.validate(paid)
        #expect(final.isValid)
        #expect(final.status == .active)
        #expect(final.owner == Fixtures.mentee)
        #expect(final.pendingTransition == nil)
    }

    @Test func wrongPreimageLeavesTheProofWithThePreviousOwner() throws {
        let bound = Self.first.with(paymentHash: Fixtures.preimage.paymentHash)
        let wrong = try Preimage(bytes: Fixtures.bytes(0x45))
        let result = Fixtures.validator.validate(
            Self.oneStep.replacing(transitions: [Fixtures.signed(bound, by: Fixtures.mentorKey, preimage: wrong)]))
        #expect(result.status == .transferPending)
        #expect(result.owner == Fixtures.mentor)
    }

    @Test func secondSpendByANonOwnerIsAForgeryNotADoubleTransfer() throws {
        let branch = Fixtures.sessionProof()
        let other = try branch.makeTransition(to: Fixtures.stranger, createdAt: Fixtures.issuedAt + 5)
        let consignment = Self.oneStep.replacing(
            transitions: Self.oneStep.transitions + [Fixtures.signed(other, by: Fixtures.strangerKey)])
        #expect(Fixtures.validator.validate(consignment).failedRules == [.transitionSignatureInvalid])
    }

    @Test func untrustedIssuerIsReportedButNotAFailure() {
        let result = ProofValidator(trustedIssuers: [Fixtures.stranger]).validate(Self.twoSteps)
        #expect(result.isValid)
        #expect(!result.issuerTrusted)
        #expect(result.genesis.issuer == Fixtures.issuer)
    }

    @Test func storedChainConflictIsADoubleTransfer() throws {
        let stored = Fixtures.chain(length: 2).transitions.map(\.transition)
        var branch = Fixtures.chain(length: 1)
        let other = try branch.makeTransition(to: Fixtures.stranger, createdAt: Fixtures.issuedAt + 9)
        try branch.append(other, signature: Fixtures.menteeKey.signSchnorr(message: other.sighash))
        let incoming = branch.transitions.map(\.transition)

        let conflicts = ProofValidator.conflicts(stored: stored, incoming: incoming)
        #expect(conflicts.map(\.rule) == [.doubleTransfer])
        #expect(conflicts.first?.transitionIndex == 1)

        let longer = Fixtures.chain(length: 3).transitions.map(\.transition)
        #expect(ProofValidator.conflicts(stored: stored, incoming: longer) == [])
        #expect(ProofValidator.conflicts(stored: longer, incoming: stored) == [])
    }
}
