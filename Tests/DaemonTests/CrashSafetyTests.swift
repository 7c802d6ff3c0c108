import JSONRPC
import TestSupport
import Testing

/// SIGKILL at named points, restart, and check that nothing acknowledged is lost and nothing happens twice.
@Suite(.serialized) struct CrashSafetyTests {
    @Test(arguments: StoreEngines.all) func aPayerKilledAfterTheBackendPaidDoesNotPayTwice(engine: String) async throws
    {
        try await DevNetwork.run(engine: engine) { network in
            let payee = try await network.daemon()
            let payer = try await network.daemon(environment: ["T4GD_FAULT_POINTS": "payment.after_backend"])
            let invoice = try await payee.call("invoice.create", ["amount_msat": 100_000, "description": "crash"])
            let bolt11 = JSONValue.string(invoice.string("bolt11"))
            _ = try? await payer.call("payment.send", ["bolt11": bolt11])
            #expect(await payer.waitForExit() != 0)
            let restarted = try await network.restart(payer)
            // Start-up reconciliation resolves the pending payment from the ledger; paying again is a no-op.
            let status = try await settledValue {
                try await restarted.call("payment.get", ["payment_hash": .string(invoice.string("payment_hash"))])
                    .string("status")
            } until: {
                $0 != "pending"
            }
            #expect(status == "succeeded")
            let again = try await restarted.call("payment.send", ["bolt11": bolt11])
            #expect(again.string("status") == "succeeded")
            #expect(
                try await restarted.call("wallet.balance").integer("balance_msat") == 1_000_000_000 - 100_000 - 1100)
            #expect(try await payee.call("wallet.balance").integer("balance_msat") == 1_000_100_000)
            // On PostgreSQL the event is indexed by the sequencer just after the state it tells commits.
            var types: [String] = []
            try await eventually("the payment's event is listed", timeout: .seconds(30)) {
                types = (try await restarted.call("events.list").arrayValue ?? []).map { $0.string("type") }
                return !types.isEmpty
            }
            #expect(types == ["payment.succeeded"])
        }
    }

    @Test(arguments: StoreEngines.all) func aPayerKilledBeforeTheBackendCallFailsThePaymentAndCanRetry(engine: String)
        async throws
    {
        try await DevNetwork.run(engine: engine) { network in
            let payee = try await network.daemon()
            let payer = try await network.daemon(environment: ["T4GD_FAULT_POINTS": "payment.after_intent"])
            let invoice = try await payee.call("invoice.create", ["amount_msat": 50_000, "description": "crash early"])
            let bolt11 = JSONValue.string(invoice.string("bolt11"))
            _ = try? await payer.call("payment.send", ["bolt11": bolt11])
            #expect(await payer.waitForExit() != 0)
            let restarted = try await network.restart(payer)
            let payment = try await settledValue {
                try await restarted.call("payment.get", ["payment_hash": .string(invoice.string("payment_hash"))])
            } until: {
                $0.string("status") != "pending"
            }
            #expect(payment.string("status") == "failed")
            // The backend never saw it: not_sent, not backend_error (which would read as a refusal).
            #expect(payment.string("failure_reason") == "not_sent")
            // Reconciliation is over once its event is listed (on PostgreSQL the sequencer indexes it just after
            // the state commits; until then a retry is told the payment is being reconciled).
            try await eventually("the failed payment's event is listed", timeout: .seconds(30)) {
                (try await restarted.call("events.list").arrayValue ?? []).map { $0.string("type") }
                    == ["payment.failed"]
            }
            let retried = try await restarted.call("payment.send", ["bolt11": bolt11])
            #expect(retried.string("status") == "succeeded")
            #expect(retried["replayed"] == .bool(false))
            #expect(try await payee.call("wallet.balance").integer("balance_msat") == 1_000_050_000)
        }
    }

    @Test(arguments: StoreEngines.all) func aPayeeKilledBetweenInvoicePaidAndProofFinalizedFinishesTheTransferOnce(
        engine: String
    ) async throws {
        try await DevNetwork.run(engine: engine) { network in
            let platform = try await network.daemon(environment: ["T4GD_FAULT_POINTS": "invoice.after_paid"])
            let customer = try await network.daemon()
            let proof = try await platform.call(
                "proof.create", ["kind": "mentoring_session", "owner": "account:mentor", "fields": ["topic": "x"]])
            let buyer = try await customer.call("proof.owner_key", ["owner": "account:mentee"]).string("pubkey")
            let transfer = try await platform.call(
                "proof.transfer",
                [
                    "proof_id": .string(proof.string("proof_id")), "to": .string(buyer),
                    "payment": ["amount_msat": 20_000],
                ])
            _ = try await customer.call(
                "payment.send", ["bolt11": .string(transfer["invoice"]?.string("bolt11") ?? "")])
            #expect(await platform.waitForExit() != 0)
            let restarted = try await network.restart(platform)
            // The restarted daemon finishes the transfer; on PostgreSQL its event is indexed just after the state
            // commits, so wait for the event, which comes last.
            try await eventually("the restarted platform lists the proof's transfer", timeout: .seconds(60)) {
                (try await restarted.call("events.list").arrayValue ?? []).contains {
                    $0.string("type") == "proof.transferred"
                }
            }
            let owner = try await restarted.call("proof.get", ["proof_id": .string(proof.string("proof_id"))])
                .string("owner")
            #expect(owner == buyer)
            let types = (try await restarted.call("events.list").arrayValue ?? []).map { $0.string("type") }
            #expect(types.filter { $0 == "proof.transferred" }.count == 1)
            #expect(types.filter { $0 == "invoice.paid" }.count == 1)
            let history = try await restarted.call("proof.history", ["proof_id": .string(proof.string("proof_id"))])
            #expect(history["transitions"]?.arrayValue?.map { $0.string("state") } == ["final"])
        }
    }
}
