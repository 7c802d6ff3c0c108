import BOLT11
import GRDB
import JSONRPC
import Secp256k1
import TestSupport
import Testing

/// `payment.send` repeated between real daemons: a key reused with other parameters is a conflict naming the
/// stored payment (as the OpenRPC document says), and the record describes the invoice actually paid. A repeat
/// after the invoice expired is tested in process, on a test clock (`DaemonServiceTests`).
@Suite(.serialized) struct PaymentReplayTests {
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
