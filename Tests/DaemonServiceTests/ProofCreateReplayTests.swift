import JSONRPC
import Testing

@testable import Wallet

/// `proof.create` under an idempotency key, in process: the first proof comes back and nothing is written twice.
@Suite struct ProofCreateReplayTests {
    static let fields = [("topic", "swift")]

    @Test func theSameKeyReturnsTheFirstProofAndWritesOneEventButKeysAreScopedPerMethod() async throws {
        try await DaemonHarness.run { harness in
            let first = try await harness.proofs.create(
                kind: "mentoring_session", fields: Self.fields, owner: "account:mentor", idempotencyKey: "issue-1")
            harness.clock.advance(by: 10)
            let again = try await harness.proofs.create(
                kind: "mentoring_session", fields: Self.fields, owner: "account:mentor", idempotencyKey: "issue-1")
            #expect(first.replayed == false)
            #expect(first.value.kind == "mentoring_session")
            #expect(first.value.status == "active")
            #expect(first.value.sequence == 0)
            #expect(again.replayed == true)
            #expect(again.value.proofID == first.value.proofID)
            #expect(again.value.createdAt == first.value.createdAt)
            #expect(try await harness.eventTypes() == ["proof.created"])
            // The same key on another method is another key.
            let transfer = try await harness.proofs.transfer(
                proofID: first.value.proofID, to: "account:mentee", payment: nil, transitionID: nil, signature: nil,
                idempotencyKey: "issue-1")
            #expect(transfer.replayed == false)
            #expect(transfer.value["proof"]?["sequence"] == 1)
            #expect(try await harness.eventTypes() == ["proof.created", "proof.transferred"])
        }
    }

    @Test func otherFieldsUnderTheKeyAreAConflictNamingTheFirstProof() async throws {
        try await DaemonHarness.run { harness in
            let first = try await harness.proofs.create(
                kind: "mentoring_session", fields: Self.fields, owner: "account:mentor", idempotencyKey: "issue-1")
            let conflict = await DaemonHarness.wireError {
                try await harness.proofs.create(
                    kind: "mentoring_session", fields: [("topic", "rust")], owner: "account:mentor",
                    idempotencyKey: "issue-1")
            }
            #expect(conflict?.reason == .idempotencyConflict)
            #expect(conflict?.data["existing"]?["proof_id"] == .string(first.value.proofID))
            #expect(try await harness.eventTypes() == ["proof.created"])
        }
    }
}
