import Foundation
import JSONRPC
import TestSupport
import Testing

/// Redemption and revocation killed with SIGKILL before and after their write: after the restart the step
/// is either not done (and can be done once) or done once, never half-done or twice.
@Suite(.serialized) struct ProofLifecycleCrashTests {
    @Test(
        arguments: StoreEngines.all,
        [
            ("proof.redeem", "proof.before_lifecycle_write"), ("proof.redeem", "proof.after_lifecycle_write"),
            ("proof.revoke", "proof.before_lifecycle_write"), ("proof.revoke", "proof.after_lifecycle_write"),
        ])
    func killedRedemptionOrRevocationIsNeverHalfDoneOrTwice(engine: String, step: (method: String, point: String))
        async throws
    {
        let (method, point) = step
        try await DevNetwork.run(engine: engine) { network in
            let daemon = try await network.daemon(environment: ["T4GD_FAULT_POINTS": point])
            let proof = try await daemon.call(
                "proof.create",
                ["kind": "ticket", "fields": ["seat": "A1"], "owner": "account:fan", "revocable": true])
            let proofID = JSONValue.string(proof.string("proof_id"))
            _ = try? await daemon.call(method, ["proof_id": proofID])
            #expect(await daemon.waitForExit() != 0)

            let restarted = try await network.restart(daemon, environment: [:])
            let done = method == "proof.redeem" ? "redeemed" : "revoked"
            let event = method == "proof.redeem" ? "proof.redeemed" : "proof.revoked"
            let stored = try await restarted.call("proof.get", ["proof_id": proofID]).string("status")
            if point == "proof.before_lifecycle_write" {
                #expect(stored == "active")
                let retried = try await restarted.call(method, ["proof_id": proofID])
                #expect(retried["proof"]?.string("status") == done)
            } else {
                #expect(stored == done)
            }
            let again = try await restarted.error(method, ["proof_id": proofID])
            #expect(again?.reason.name == (method == "proof.redeem" ? "double_transfer" : "proof_revoked"))
            let types = (try await restarted.call("events.list").arrayValue ?? []).map { $0.string("type") }
            #expect(types.filter { $0 == event }.count == 1)
            let verified = try await restarted.call("proof.verify", ["proof_id": proofID])
            #expect(verified["failed_rules"]?.arrayValue == [])
            #expect(verified.string("status") == done)
        }
    }
}
