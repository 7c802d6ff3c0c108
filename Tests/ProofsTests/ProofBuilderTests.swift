import Proofs
import Secp256k1
import Testing

@Suite struct ProofBuilderTests {
    @Test func issuedProofIsSignedAndCommitsToSortedSaltedFields() throws {
        let proof = Fixtures.sessionProof()
        #expect(proof.genesis.issuer == Fixtures.issuer)
        #expect(proof.genesis.owner == Fixtures.mentor)
        #expect(proof.owner == Fixtures.mentor)
        #expect(proof.status == .active)
        #expect(proof.fields.map(\.field) == Fixtures.sessionFields)
        #expect(proof.genesis.fieldCommitments == proof.fields.map(\.commitment).sorted())
        #expect(Fixtures.issuer.isValidSignature(proof.issuerSignature, message: proof.id.bytes))
        #expect(proof.tip == ChainTip(proofID: proof.id, stateID: proof.id, sequence: 0))
    }

    @Test func systemRandomnessSaltsEveryIssueDifferently() throws {
        let issue = {
            try Proof.issue(
                kind: .purchase, fields: Fixtures.sessionFields, owner: Fixtures.mentee, issuer: Fixtures.issuerKey,
                network: .regtest, issuedAt: Fixtures.issuedAt)
        }
        let (first, second) = (try issue(), try issue())
        #expect(first.id != second.id)
        #expect(Set(first.fields.map(\.salt)).isDisjoint(with: second.fields.map(\.salt)))
        #expect(Fixtures.validator.validate(try first.export()).isValid)
    }

    @Test func issueRejectsBadFieldSets() throws {
        let duplicate = Fixtures.sessionFields + [try Field(name: "topic", value: "again")]
        #expect(throws: ProofError.self) { try issue(fields: duplicate) }
        #expect(throwing(.duplicateField) { try issue(fields: duplicate) })
        let many = try (0...Field.maximumCount).map { try Field(name: "f\($0)", value: "") }
        #expect(throwing(.tooManyFields) { try issue(fields: many) })
        let short = Randomness { _ in [1, 2, 3] }
        #expect(throwing(.invalidRandomness) { try issue(fields: Fixtures.sessionFields, randomness: short) })
    }

    @Test func externalOwnerSignsTheSighash() throws {
        var proof = Fixtures.sessionProof()
        let transition = try proof.makeTransition(to: Fixtures.mentee, createdAt: Fixtures.issuedAt + 1)
        #expect(transition.sighash == transition.id.bytes)
        #expect(transition.previous == proof.id)
        #expect(transition.sequence == 1)
        let signature = try SchnorrSignature(bytes: Fixtures.mentorKey.signSchnorr(message: transition.sighash).bytes)
        try proof.append(transition, signature: signature)
        #expect(proof.owner == Fixtures.mentee)
        #expect(proof.tip.stateID == transition.id)
    }

    @Test func appendRefusesNonOwnersAndStaleTransitions() throws {
        var proof = Fixtures.sessionProof()
        let transition = try proof.makeTransition(to: Fixtures.mentee, createdAt: Fixtures.issuedAt + 1)
        #expect(
            throwing(.invalidSignature) {
                try proof.append(transition, signature: Fixtures.menteeKey.signSchnorr(message: transition.sighash))
            })
        try proof.append(transition, signature: Fixtures.mentorKey.signSchnorr(message: transition.sighash))
        #expect(
            throwing(.staleTransition) {
                try proof.append(transition, signature: Fixtures.menteeKey.signSchnorr(message: transition.sighash))
            })
        #expect(proof.transitions.count == 1)
    }

    @Test func paidTransferGoesPendingThenFinal() throws {
        var proof = Fixtures.sessionProof()
        let hash = Fixtures.preimage.paymentHash
        let transition = try proof.makeTransition(
            to: Fixtures.mentee, paymentHash: hash, createdAt: Fixtures.issuedAt + 1)
        try proof.append(transition, signature: Fixtures.mentorKey.signSchnorr(message: transition.sighash))
        #expect(proof.status == .transferPending)
        #expect(proof.owner == Fixtures.mentor)
        #expect(proof.pendingTransition?.transition == transition)
        #expect(throwing(.transferPending) { try proof.makeTransition(to: Fixtures.stranger, createdAt: 9) })
        #expect(throwing(.preimageMismatch) { try proof.attachPreimage(Preimage(bytes: Fixtures.bytes(0x45))) })

        try proof.attachPreimage(Fixtures.preimage)
        #expect(proof.status == .active)
        #expect(proof.owner == Fixtures.mentee)
        #expect(proof.transitions.last?.preimage == Fixtures.preimage)
        #expect(throwing(.noPendingTransfer) { try proof.attachPreimage(Fixtures.preimage) })
    }

    @Test func expiredTransferCanBeCanceled() throws {
        var proof = Fixtures.chain(length: 1)
        let transition = try proof.makeTransition(
            to: Fixtures.stranger, paymentHash: Fixtures.preimage.paymentHash, createdAt: Fixtures.issuedAt + 2)
        try proof.append(transition, signature: Fixtures.menteeKey.signSchnorr(message: transition.sighash))
        let canceled = try proof.cancelPendingTransfer()
        #expect(canceled.transition == transition)
        #expect(proof.transitions.count == 1)
        #expect(proof.status == .active)
        #expect(proof.owner == Fixtures.mentee)
        #expect(throwing(.noPendingTransfer) { _ = try proof.cancelPendingTransfer() })
    }

    @Test func exportRefusesUnknownFieldNames() {
        #expect(throwing(.unknownField) { try Fixtures.sessionProof().export(disclosing: ["mentor", "price"]) })
    }

    /// The platform workflow: issue to the mentor, sell to the mentee against a Lightning payment, settle,
    /// export, and import on the mentee's daemon.
    @Test func mentoringSessionWorkflow() throws {
        var proof = try Proof.issue(
            kind: .mentoringSession, fields: Fixtures.sessionFields, owner: Fixtures.mentor, issuer: Fixtures.issuerKey,
            network: .regtest, issuedAt: Fixtures.issuedAt)
        let transfer = try proof.makeTransition(
            to: Fixtures.mentee, paymentHash: Fixtures.preimage.paymentHash, createdAt: Fixtures.issuedAt + 60)
        try proof.append(transfer, signature: Fixtures.mentorKey.signSchnorr(message: transfer.sighash))
        #expect(Fixtures.validator.validate(try proof.export()).status == .transferPending)
        try proof.attachPreimage(Fixtures.preimage)

        let json = try proof.export(disclosing: ["mentor", "mentee", "topic"]).json()
        let received = try Consignment(json: json)
        let result = Fixtures.validator.validate(received)
        #expect(result.isValid)
        #expect(result.issuerTrusted)
        #expect(result.owner == Fixtures.mentee)
        #expect(result.status == .active)
        #expect(result.genesis.kind == .mentoringSession)
        #expect(result.disclosedFields.map(\.name) == ["mentor", "mentee", "topic"])

        let imported = Proof(received)
        #expect(imported.owner == Fixtures.mentee)
        #expect(imported.fields.count == 3)
        #expect(try imported.export() == received)
    }

    private func issue(fields: [Field], randomness: Randomness = .system) throws(ProofError) -> Proof {
        try Proof.issue(
            kind: .purchase, fields: fields, owner: Fixtures.mentee, issuer: Fixtures.issuerKey, network: .regtest,
            issuedAt: Fixtures.issuedAt, randomness: randomness)
    }
}

/// Whether `body` throws a ``ProofError`` with `code`.
func throwing<T>(_ code: ProofError.Code, _ body: () throws -> T) -> Bool {
    do {
        _ = try body()
        return false
    } catch {
        return (error as? ProofError)?.code == code
    }
}
