import BOLT11
import Foundation
import GRDB
import JSONRPC
import Secp256k1
import TestSupport
import Testing

/// `payment.send` repeated: the stored payment comes back (`replayed: true`) whatever happened since, a key
/// reused with other parameters is a conflict naming the stored payment, and the record describes the invoice
/// actually paid.
@Suite(.serialized) struct PaymentReplayTests {
    @Test(arguments: StoreEngines.all) func aRepeatAfterTheInvoiceExpiredReturnsTheStoredPayment(engine: String)
        async throws
    {
        try await DevNetwork.run(engine: engine) { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()
            let invoice = try await alice.call(
                "invoice.create", ["amount_msat": 40_000, "description": "short-lived", "expiry_s": 15])
            let send: JSONObject = ["bolt11": .string(invoice.string("bolt11")), "idempotency_key": "order-17"]
            let first = try await bob.call("payment.send", send)
            #expect(first.string("status") == "succeeded")
            #expect(first["replayed"] == .bool(false))
            let expiresAt = invoice.integer("expires_at")
            // 15 s: the first payment must come before expiry even when the whole suite loads the machine.
            let deadline = ContinuousClock.now + .seconds(40)
            while Int64(Date().timeIntervalSince1970) <= expiresAt, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }

            let again = try await bob.call("payment.send", send)
            #expect(again.string("status") == "succeeded")
            #expect(again["replayed"] == .bool(true))
            #expect(again.string("preimage") == first.string("preimage"))
            // The same hash under another key, or no key: the stored payment too.
            let unkeyed = try await bob.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
            #expect(unkeyed["replayed"] == .bool(true))
            #expect(unkeyed.string("idempotency_key") == "order-17")
            #expect(try await bob.call("payment.get", ["idempotency_key": "order-17"]).string("status") == "succeeded")
            #expect(
                try await bob.error("payment.get", ["idempotency_key": "order-18"])?.reason.name == "payment_not_found")
            #expect(try await bob.call("wallet.balance").integer("balance_msat") == 1_000_000_000 - 40_000 - 1040)
            let events = try await bob.call("events.list").arrayValue ?? []
            #expect(events.map { $0.string("type") } == ["payment.succeeded"])
        }
    }

    @Test func aKeyReusedWithOtherParamsIsAConflictNamingTheStoredPayment() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()
            let first = try await alice.call("invoice.create", ["amount_msat": 30_000, "description": "first"])
            let other = try await alice.call("invoice.create", ["amount_msat": 30_000, "description": "other"])
            let paid = try await bob.call(
                "payment.send", ["bolt11": .string(first.string("bolt11")), "idempotency_key": "k1"])
            #expect(paid.string("status") == "succeeded")

            let otherInvoice = try await bob.error(
                "payment.send", ["bolt11": .string(other.string("bolt11")), "idempotency_key": "k1"])
            #expect(otherInvoice?.reason.name == "idempotency_conflict")
            #expect(otherInvoice?.data["existing"]?.string("payment_hash") == first.string("payment_hash"))
            #expect(otherInvoice?.data["existing"]?.string("status") == "succeeded")
            let otherFeeCap = try await bob.error(
                "payment.send",
                ["bolt11": .string(first.string("bolt11")), "idempotency_key": "k1", "max_fee_msat": 1])
            #expect(otherFeeCap?.reason.name == "idempotency_conflict")
            #expect(try await bob.call("payment.list")["items"]?.arrayValue?.count == 1)
            // The OpenRPC document names the field.
            let methods = try await bob.call("rpc.discover")["methods"]?.arrayValue ?? []
            let send = methods.first { $0.string("name") == "payment.send" }
            let conflictError = send?["errors"]?.arrayValue?.first {
                $0["data"]?.string("reason") == "idempotency_conflict"
            }
            #expect(conflictError?["data"]?["x-fields"] == ["existing"])

            // label_conflict names the invoice that holds the label.
            let labelled = try await alice.call(
                "invoice.create", ["amount_msat": 5000, "description": "a", "label": "L"])
            let again = try await alice.call("invoice.create", ["amount_msat": 5000, "description": "a", "label": "L"])
            #expect(labelled["replayed"] == .bool(false))
            #expect(again["replayed"] == .bool(true))
            let conflict = try await alice.error(
                "invoice.create", ["amount_msat": 6000, "description": "a", "label": "L"])
            #expect(conflict?.reason.name == "label_conflict")
            #expect(conflict?.data["existing"]?.string("payment_hash") == labelled.string("payment_hash"))
        }
    }

    @Test func theRecordDescribesTheInvoiceActuallyPaidAndKeepsTheFailedAttempt() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()
            let real = try await alice.call("invoice.create", ["amount_msat": 25_000, "description": "victim"])
            // A forged invoice: the victim's payment hash, signed by a node nobody can route to.
            var fields = try Invoice(bolt11: real.string("bolt11")).fields
            fields.payeeNodeID = nil
            fields.amountMsat = 1000
            let forged = try fields.encode(signingWith: PrivateKey.random())
            let refused = try await bob.error("payment.send", ["bolt11": .string(forged)])
            #expect(refused?.reason.name == "no_route")

            let paid = try await bob.call("payment.send", ["bolt11": .string(real.string("bolt11"))])
            #expect(paid.string("status") == "succeeded")
            #expect(paid.string("bolt11") == real.string("bolt11"))
            #expect(paid.integer("amount_msat") == 25_000)
            let stored = try await bob.call("payment.get", ["payment_hash": .string(real.string("payment_hash"))])
            #expect(stored.string("bolt11") == real.string("bolt11"))
            let attempts = try await DatabaseQueue(path: bob.directory.file("t4gd.sqlite")).read { database in
                try Row.fetchAll(
                    database, sql: "SELECT bolt11, outcome, failure_reason FROM payment_attempts ORDER BY id"
                )
                .map {
                    [
                        $0["bolt11"] as String? ?? "", $0["outcome"] as String? ?? "",
                        ($0["failure_reason"] as String?) ?? "-",
                    ]
                }
            }
            #expect(attempts == [[forged, "failed", "no_route"], [real.string("bolt11"), "succeeded", "-"]])
        }
    }
}
