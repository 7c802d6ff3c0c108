import JSONRPC
import TestSupport
import Testing

/// Accounts end to end over the socket, on both engines: an invoice credited to an account, transfers with
/// replay, a payment held and debited from an account, refusals with their reasons, and a clean audit.
@Suite(.serialized) struct AccountFlowTests {
    @Test(arguments: StoreEngines.all) func anAccountIsCreditedTransfersAndPaysWithACleanLedger(engine: String)
        async throws
    {
        try await DevNetwork.run(engine: engine) { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()
            let created = try await alice.call("account.create", ["id": "user:1", "name": "Ada"])
            #expect(created.string("id") == "user:1" && created["replayed"] == .bool(false))
            #expect(try await alice.call("account.create", ["id": "user:1", "name": "Ada"])["replayed"] == .bool(true))
            let conflict = try await alice.error("account.create", ["id": "user:1", "name": "Bob"])
            #expect(conflict?.reason.name == "account_conflict")
            #expect(conflict?.data["existing"]?.string("name") == "Ada")
            _ = try await alice.call("account.create", ["id": "user:2"])
            #expect(try await alice.error("account.create", ["id": "@treasury"])?.reason.name == "invalid_params")

            // An invoice of user:1 paid from another daemon credits user:1.
            let invoice = try await alice.call(
                "invoice.create", ["amount_msat": 50_000, "description": "top-up", "account": "user:1"])
            #expect(invoice.string("account") == "user:1")
            _ = try await bob.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
            _ = try await alice.call(
                "invoice.wait", ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 10])
            #expect(try await alice.call("account.get", ["id": "user:1"]).integer("balance_msat") == 50_000)

            let transfer: JSONObject = [
                "from": "user:1", "to": "user:2", "amount_msat": 20_000, "idempotency_key": "t-1", "memo": "lunch",
            ]
            let moved = try await alice.call("account.transfer", transfer)
            #expect(moved.string("from") == "user:1" && moved.integer("amount_msat") == 20_000)
            let again = try await alice.call("account.transfer", transfer)
            #expect(again["replayed"] == .bool(true) && again.string("transfer_id") == moved.string("transfer_id"))
            var other = transfer
            other["amount_msat"] = 1
            let reused = try await alice.error("account.transfer", other)
            #expect(reused?.reason.name == "idempotency_conflict")
            #expect(reused?.data["existing"]?.string("transfer_id") == moved.string("transfer_id"))

            // 30,000 left: a payment of 40,000 is refused by the account, one of 20,000 is held then debited.
            let large = try await bob.call("invoice.create", ["amount_msat": 40_000, "description": "large"])
            let refused = try await alice.error(
                "payment.send", ["bolt11": .string(large.string("bolt11")), "account": "user:1"])
            #expect(refused?.reason.name == "insufficient_funds")
            #expect(refused?.data["available_msat"] == .integer(30_000))
            let small = try await bob.call("invoice.create", ["amount_msat": 20_000, "description": "small"])
            let paid = try await alice.call(
                "payment.send",
                ["bolt11": .string(small.string("bolt11")), "account": "user:1", "max_fee_msat": 2_000])
            #expect(paid.string("status") == "succeeded" && paid.string("account") == "user:1")
            let user1 = try await alice.call("account.get", ["id": "user:1"])
            #expect(user1.integer("balance_msat") == 30_000 - 20_000 - paid.integer("fee_msat"))
            #expect(
                user1.integer("held_msat") == 0 && user1.integer("balance_sat") == user1.integer("balance_msat") / 1000)

            _ = try await alice.call("account.update", ["id": "user:2", "status": "frozen"])
            let frozen = try await alice.error(
                "account.transfer", ["from": "user:2", "to": "user:1", "amount_msat": 1, "idempotency_key": "t-2"])
            #expect(frozen?.reason.name == "account_frozen" && frozen?.data["status"] == .string("frozen"))
            _ = try await alice.call(
                "account.update", ["id": "user:2", "status": "open", "limits": ["daily_spend_msat": 25_000]])
            let limited = try await alice.error(
                "account.transfer", ["from": "user:2", "to": "user:1", "amount_msat": 25_001, "idempotency_key": "t-3"])
            #expect(limited?.reason.name == "limit_exceeded" && limited?.data["limit"] == .string("daily_spend_msat"))
            #expect(try await alice.error("account.close", ["id": "user:2"])?.reason.name == "account_conflict")

            let statement = try await alice.call("account.statement", ["id": "user:1"])
            let kinds = (statement["items"]?.arrayValue ?? []).map { $0.string("kind") }
            #expect(kinds == ["payment", "transfer_out", "invoice"])
            #expect(
                (statement["items"]?.arrayValue ?? []).map { $0.string("status") } == ["settled", "settled", "settled"])
            #expect(statement["items"]?.arrayValue?[1].string("counterparty") == "user:2")
            #expect(statement["items"]?.arrayValue?[1].string("label") == "lunch")
            let totals = statement["totals"]
            #expect(totals?.integer("in_msat") == 50_000 && totals?.integer("count") == 3)
            #expect(totals?.integer("out_msat") == 40_000 + paid.integer("fee_msat"))
            #expect(totals?.integer("fees_msat") == paid.integer("fee_msat"))
            let outgoing = try await alice.call("account.statement", ["id": "user:1", "direction": "out", "limit": 1])
            #expect(outgoing["items"]?.arrayValue?.count == 1 && outgoing["totals"]?.integer("count") == 2)
            let next = try await alice.call(
                "account.statement", ["id": "user:1", "direction": "out", "cursor": outgoing["next_cursor"] ?? .null])
            #expect((next["items"]?.arrayValue ?? []).map { $0.string("kind") } == ["transfer_out"])

            let listed = try await alice.call("account.list", ["prefix": "user:"])
            #expect(listed.integer("total") == 2)
            let audit = try await alice.call("ledger.audit")
            #expect(audit["clean"] == .bool(true))
            let balance = try await alice.call("wallet.balance").integer("balance_msat")
            #expect(audit.integer("node_msat") == audit.integer("liabilities_msat"))
            #expect(audit.integer("surplus_msat") == balance - audit.integer("liabilities_msat"))
            let types = (try await alice.call("events.list").arrayValue ?? []).map { $0.string("type") }
            // user:1 credited by its invoice, debited by the transfer (user:2 credited), debited by its payment.
            #expect(
                types.filter { $0.hasPrefix("account.") } == [
                    "account.credited", "account.debited", "account.credited", "account.debited",
                ])
        }
    }
}
