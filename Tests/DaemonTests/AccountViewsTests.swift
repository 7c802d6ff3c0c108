import JSONRPC
import TestSupport
import Testing

/// The lists filtered by account over the socket, the events each posting writes, and the ledger in
/// `daemon.health` and `/metrics`, on a real daemon paid by another.
@Suite(.serialized) struct AccountViewsTests {
    @Test func listsAndEventsFilterByAccountAndWithoutOneShowTheWholeNode() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()
            for id in ["user:1", "user:2"] { _ = try await alice.call("account.create", ["id": .string(id)]) }
            var paid: [String: String] = [:]
            for (account, amount) in [("user:1", 50_000), ("user:2", 30_000), ("@treasury", 10_000)] {
                let invoice = try await alice.call(
                    "invoice.create",
                    ["amount_msat": .integer(Int64(amount)), "description": "top-up", "account": .string(account)])
                _ = try await bob.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
                _ = try await alice.call(
                    "invoice.wait", ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 10])
                paid[account] = invoice.string("payment_hash")
            }
            let bill = try await bob.call("invoice.create", ["amount_msat": 5_000, "description": "bill"])
            let payment = try await alice.call(
                "payment.send", ["bolt11": .string(bill.string("bolt11")), "account": "user:1", "max_fee_msat": 2_000])
            #expect(payment.string("status") == "succeeded")

            func hashes(_ method: String, _ params: JSONObject) async throws -> [String] {
                (try await alice.call(method, params)["items"]?.arrayValue ?? []).map { $0.string("payment_hash") }
            }
            #expect(try await hashes("invoice.list", ["account": "user:1"]) == [paid["user:1"]!])
            #expect(try await hashes("invoice.list", ["account": "@treasury"]) == [paid["@treasury"]!])
            #expect(
                try await hashes("invoice.list", [:])
                    == [paid["@treasury"]!, paid["user:2"]!, paid["user:1"]!])
            let firstPage = try await alice.call("invoice.list", ["limit": 2])
            #expect(firstPage["next_cursor"]?.stringValue != nil)
            #expect(try await hashes("payment.list", ["account": "user:1"]) == [payment.string("payment_hash")])
            #expect(try await hashes("payment.list", ["account": "user:2"]) == [])
            let unknown = try await alice.error("invoice.list", ["account": "user:9"])
            #expect(unknown?.reason.name == "account_not_found")
            #expect(try await alice.error("payment.list", ["account": "@node"])?.reason.name == "invalid_params")

            // Newest first by time; the top-up and the payment are often in the same second, whose order is not
            // defined (WalletHistoryTests checks the order across seconds).
            let history = try await alice.call("wallet.transactions", ["account": "user:1"])
            #expect(
                (history["items"]?.arrayValue ?? []).map { $0.string("payment_hash") }.sorted()
                    == [payment.string("payment_hash"), paid["user:1"]!].sorted())
            let fee = payment.integer("fee_msat")
            #expect(
                history["totals"]
                    == ["in_msat": 50_000, "out_msat": 5_000, "fees_msat": .integer(fee), "count": 2])
            let whole = try await alice.call("wallet.transactions")
            #expect(whole["totals"]?.integer("count") == 4 && whole["totals"]?.integer("in_msat") == 90_000)

            // The account's events are exactly those of the whole log that name it.
            let everything = try await alice.call("events.list", ["limit": 1000]).arrayValue ?? []
            let user1 = try await alice.call("events.list", ["account": "user:1", "limit": 1000]).arrayValue ?? []
            #expect(user1 == everything.filter { $0["data"]?.string("account") == "user:1" })
            let postings = user1.filter { $0.string("type").hasPrefix("account.") }
            #expect(postings.map { $0.string("type") } == ["account.credited", "account.debited"])
            #expect(postings[0]["data"]?.integer("amount_msat") == 50_000)
            #expect(postings[0]["data"]?.string("cause") == "invoice")
            #expect(postings[0]["data"]?.string("payment_hash") == paid["user:1"]!)
            #expect(postings[1]["data"]?.integer("amount_msat") == 5_000 + fee)
            #expect(postings[1]["data"]?.string("cause") == "payment")
            #expect(
                everything.filter { $0["data"]?.string("account") == "@treasury" }.allSatisfy {
                    !$0.string("type").hasPrefix("account.")
                })

            // events.wait of one account wakes for that account's event only.
            let since = everything.last?.integer("index") ?? 0
            let quiet = try await alice.call(
                "events.wait", ["since": .integer(since), "account": "user:2", "timeout_s": 0])
            #expect(quiet == [])
            _ = try await alice.call(
                "account.transfer", ["from": "user:1", "to": "user:2", "amount_msat": 1_000, "idempotency_key": "v-1"])
            let woken = try await alice.call(
                "events.wait", ["since": .integer(since), "account": "user:2", "timeout_s": 10])
            #expect(woken.arrayValue?.map { $0.string("type") } == ["account.credited"])
            #expect(woken.arrayValue?.first?["data"]?.string("cause") == "transfer")
        }
    }

    @Test func theLedgerIsAHealthComponentAndMetrics() async throws {
        try await DevNetwork.run { network in
            let daemon = try await network.daemon(startingBalanceMsat: 7_000_000)
            let health = try await daemon.call("daemon.health")
            #expect(health["components"]?["ledger"]?.string("status") == "ok")
            #expect(health.string("status") == "ok")
            let metrics = try HTTPProbe.get("/metrics", port: try await daemon.metricsPort())
            func value(_ name: String) -> Double? {
                metrics.body.split(separator: "\n").first { $0.hasPrefix(name + " ") }
                    .flatMap { Double($0.split(separator: " ").last ?? "") }
            }
            // Audited at start: nothing owed to any account, the node holds its starting balance.
            #expect(value("t4gd_ledger_liabilities_msat") == 0)
            #expect(value("t4gd_ledger_node_msat") == 0)
            #expect(value("t4gd_ledger_surplus_msat") == 7_000_000)
            #expect((value("t4gd_ledger_audit_seconds") ?? -1) >= 0)
        }
    }
}
