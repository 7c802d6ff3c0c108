import Foundation
import JSONRPC
import TestSupport
import Testing

/// Two daemons on one dev network, end to end over their sockets; each flow with SQLite and PostgreSQL stores.
@Suite(.serialized) struct PaymentFlowTests {
    @Test(arguments: StoreEngines.all) func aPaysBAndBothSidesSeeIt(engine: String) async throws {
        try await DevNetwork.run(engine: engine) { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()

            let request: JSONObject = [
                "amount_sat": 2000, "description": "mentoring session", "label": "session-1",
                "metadata": ["mentee": 42],
            ]
            let invoice = try await alice.call("invoice.create", request)
            #expect(invoice.string("status") == "open")
            #expect(invoice["preimage"] == .null)
            let sameLabel = try await alice.call("invoice.create", request)
            #expect(sameLabel.string("payment_hash") == invoice.string("payment_hash"))

            let aliceClient = try await alice.client()
            let waiter = Task {
                try await aliceClient.call(
                    "invoice.wait", params: ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 10])
            }
            let payment = try await bob.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
            #expect(payment.string("status") == "succeeded")
            #expect(payment.integer("fee_msat") == 1000 + 2_000_000 / 1000)
            let paid = try await waiter.value
            #expect(paid.string("status") == "paid")
            #expect(paid.string("preimage") == payment.string("preimage"))
            #expect(paid.integer("amount_received_msat") == 2_000_000)

            let aliceEvents = try await alice.call("events.list").arrayValue ?? []
            #expect(aliceEvents.map { $0.string("type") } == ["invoice.paid"])
            let bobEvents = try await bob.call("events.list").arrayValue ?? []
            #expect(bobEvents.map { $0.string("type") } == ["payment.succeeded"])
            #expect(try await alice.call("wallet.balance").integer("balance_msat") == 1_002_000_000)
            #expect(try await bob.call("wallet.balance").integer("balance_msat") == 1_000_000_000 - 2_000_000 - 3000)
            try await expectBothSidesOfTheHistory(of: invoice, payment: payment, payer: bob, payee: alice)
            // Paying again returns the same succeeded payment; the ledger was not asked twice.
            let again = try await bob.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
            #expect(again.string("preimage") == payment.string("preimage"))
            #expect(try await bob.call("wallet.balance").integer("balance_msat") == 1_000_000_000 - 2_000_000 - 3000)
            await aliceClient.close()
        }
    }

    @Test(arguments: StoreEngines.all) func concurrentSendsOfOneInvoicePayOnce(engine: String) async throws {
        try await DevNetwork.run(engine: engine) { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()
            let invoice = try await alice.call("invoice.create", ["amount_msat": 10_000, "description": "race"])
            let results = await withTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let result = try? await bob.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
                        return result?.string("status") ?? "error"
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0 == "succeeded" || $0 == "pending" })
            #expect(try await bob.call("wallet.balance").integer("balance_msat") == 1_000_000_000 - 10_000 - 1010)
            #expect(try await alice.call("wallet.balance").integer("balance_msat") == 1_000_010_000)
        }
    }

    @Test(arguments: StoreEngines.all) func subscribersReceiveEveryEventAfterTheirIndex(engine: String) async throws {
        try await DevNetwork.run(engine: engine) { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()
            let subscriber = try await alice.client()
            _ = try await subscriber.call("events.subscribe", params: ["since": 0])
            var hashes: [String] = []
            for index in 0..<3 {
                let invoice = try await alice.call(
                    "invoice.create", ["amount_msat": 1000, "description": .string("n\(index)")])
                hashes.append(invoice.string("payment_hash"))
                _ = try await bob.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
            }
            var received: [String] = []
            var indexes: [Int64] = []
            for await notification in subscriber.notifications {
                let event = JSONValue.object(notification.params)
                received.append(event["data"]?.string("payment_hash") ?? "")
                indexes.append(event.integer("index"))
                if received.count == 3 { break }
            }
            #expect(received == hashes)
            #expect(indexes == [1, 2, 3])
            // Resuming after index 2 sees only the third.
            let resumed = try await alice.call("events.wait", ["since": 2, "timeout_s": 1]).arrayValue ?? []
            #expect(resumed.map { $0.integer("index") } == [3])
            await subscriber.close()
        }
    }

    @Test(arguments: StoreEngines.all) func stateSurvivesARestartAndTheSocketIsRemovedOnStop(engine: String)
        async throws
    {
        try await DevNetwork.run(engine: engine) { network in
            let alice = try await network.daemon()
            let invoice = try await alice.call("invoice.create", ["amount_msat": 1000, "description": "kept"])
            #expect(await alice.stop() == 0)
            #expect(!FileManager.default.fileExists(atPath: alice.socketPath))
            let again = try await network.restart(alice)
            #expect(
                try await again.call("invoice.get", ["payment_hash": .string(invoice.string("payment_hash"))]).string(
                    "status") == "open")
        }
    }

    /// The payer's history shows the payment with the description and payee read from its bolt11; the payee's
    /// shows the invoice with its label and metadata; `direction` filters each, and `totals` sum the range.
    func expectBothSidesOfTheHistory(
        of invoice: JSONValue, payment: JSONValue, payer: DaemonProcess, payee: DaemonProcess
    ) async throws {
        let payeeKey = try await payee.call("invoice.decode", ["bolt11": .string(invoice.string("bolt11"))])
            .string("payee")
        let outgoing = try await payer.call("wallet.transactions")
        #expect(
            outgoing["items"]
                == [
                    [
                        "direction": "outgoing", "payment_hash": .string(invoice.string("payment_hash")),
                        "amount_msat": 2_000_000, "fee_msat": 3000, "status": "succeeded",
                        "at": .integer(payment.integer("completed_at")), "label": nil,
                        "description": "mentoring session", "counterparty": .string(payeeKey), "metadata": nil,
                    ]
                ])
        #expect(outgoing["totals"] == ["in_msat": 0, "out_msat": 2_000_000, "fees_msat": 3000, "count": 1])
        let onlyIn = try await payer.call("wallet.transactions", ["direction": "in"])
        #expect(onlyIn["items"] == [])
        #expect(onlyIn["totals"] == ["in_msat": 0, "out_msat": 0, "fees_msat": 0, "count": 0])

        let incoming = try await payee.call("wallet.transactions", ["direction": "in"])
        #expect(
            try await payee.call("wallet.transactions", ["direction": "incoming"])["items"] == incoming["items"],
            "the filter also takes the word a row says")
        let row = try #require(incoming["items"]?.arrayValue?.first)
        #expect(row.string("direction") == "incoming")
        #expect(row.string("label") == "session-1")
        #expect(row.string("description") == "mentoring session")
        #expect(row["metadata"] == ["mentee": 42])
        #expect(row["counterparty"] == .null, "a payer over Lightning is not known")
        #expect(incoming["totals"] == ["in_msat": 2_000_000, "out_msat": 0, "fees_msat": 0, "count": 1])
        #expect(try await payee.call("wallet.transactions", ["direction": "out"])["items"] == [])
        #expect(
            try await payee.error("wallet.transactions", ["direction": "sideways"])?.reason == .invalidParams,
            "direction takes in, out, incoming or outgoing")
    }
}
