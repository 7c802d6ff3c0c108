import BOLT11
import Foundation
import JSONRPC
import Secp256k1
import TestSupport
import Testing

@testable import RPCMethods

/// Every error reason of the contract that the daemon and the dev backend can produce, provoked over the socket.
@Suite(.serialized) struct ErrorReasonTests {
    func invoice(
        network: Network = .regtest, amountMsat: UInt64? = 1000,
        timestamp: UInt64 = UInt64(Date().timeIntervalSince1970),
        expiry: UInt64? = nil, secret: Bool = true, key: PrivateKey = .random()
    ) throws -> String {
        try InvoiceFields(
            network: network, amountMsat: amountMsat, timestamp: timestamp, paymentHash: SecureRandom.bytes(count: 32),
            paymentSecret: secret ? SecureRandom.bytes(count: 32) : nil, description: "test", expirySeconds: expiry,
            features: secret ? [8, 14] : [8]
        ).encode(signingWith: key)
    }

    func reason(_ error: RPCError?) -> String? { error?.reason.name }

    @Test func paymentRefusalsNameTheirReason() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let poor = try await network.daemon(startingBalanceMsat: 5_000)

            let invalid = try await alice.error("payment.send", ["bolt11": "lnbcrt1invalid"])
            #expect(reason(invalid) == "invalid_bolt11")
            #expect(invalid?.data["cause"]?.stringValue != nil)
            #expect(invalid?.requestID?.count == 16)
            #expect(
                reason(try await alice.error("payment.send", ["bolt11": .string(try invoice(network: .testnet))]))
                    == "network_mismatch")
            #expect(
                reason(
                    try await alice.error(
                        "payment.send", ["bolt11": .string(try invoice(timestamp: 1_000_000, expiry: 60))]))
                    == "invoice_expired")
            #expect(
                reason(try await alice.error("payment.send", ["bolt11": .string(try invoice(amountMsat: nil))]))
                    == "amount_required")
            #expect(
                reason(try await alice.error("payment.send", ["bolt11": .string(try invoice()), "amount_msat": 5]))
                    == "amount_not_allowed")
            #expect(
                reason(try await alice.error("payment.send", ["bolt11": .string(try invoice(secret: false))]))
                    == "invoice_not_payable")
            #expect(reason(try await alice.error("payment.send", ["bolt11": .string(try invoice())])) == "no_route")

            let own = try await alice.call("invoice.create", ["amount_msat": 1000, "description": "own"])
            #expect(
                reason(try await alice.error("payment.send", ["bolt11": .string(own.string("bolt11"))]))
                    == "self_payment")

            let expensive = try await alice.call(
                "invoice.create", ["amount_msat": 1_000_000, "description": "too much"])
            let poorError = try await poor.error("payment.send", ["bolt11": .string(expensive.string("bolt11"))])
            #expect(reason(poorError) == "insufficient_balance")
            #expect(poorError?.data["payment"]?["status"]?.stringValue == "failed")

            let cheap = try await alice.call("invoice.create", ["amount_msat": 1000, "description": "cheap"])
            let third = try await network.daemon()
            _ = try await poor.call("payment.send", ["bolt11": .string(cheap.string("bolt11"))])
            #expect(
                reason(try await third.error("payment.send", ["bolt11": .string(cheap.string("bolt11"))]))
                    == "already_paid"
            )

            let keyed = try await alice.call("invoice.create", ["amount_msat": 1000, "description": "keyed"])
            _ = try await third.call(
                "payment.send", ["bolt11": .string(keyed.string("bolt11")), "idempotency_key": "k-1"])
            let other = try await alice.call("invoice.create", ["amount_msat": 1000, "description": "other"])
            #expect(
                reason(
                    try await third.error(
                        "payment.send", ["bolt11": .string(other.string("bolt11")), "idempotency_key": "k-1"]))
                    == "idempotency_conflict")
            #expect(
                reason(
                    try await third.error("payment.get", ["payment_hash": .string(String(repeating: "0", count: 64))]))
                    == "payment_not_found")
        }
    }

    @Test func invoiceErrorsNameTheirReason() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            _ = try await alice.call("invoice.create", ["amount_msat": 1000, "description": "a", "label": "l"])
            #expect(
                reason(
                    try await alice.error("invoice.create", ["amount_msat": 2000, "description": "a", "label": "l"]))
                    == "label_conflict")
            #expect(reason(try await alice.error("invoice.get", ["label": "missing"])) == "invoice_not_found")
            #expect(
                reason(try await alice.error("invoice.create", ["amount_msat": -5, "description": "a"]))
                    == "invalid_amount"
            )
            #expect(
                reason(
                    try await alice.error("invoice.create", ["amount_msat": 1, "amount_sat": 1, "description": "a"]))
                    == "invalid_amount")
            #expect(reason(try await alice.error("invoice.create", ["amount_msat": 1000])) == "invalid_params")
            #expect(
                reason(try await alice.error("invoice.create", ["amount_msat": .number(1e30), "description": "a"]))
                    == "invalid_params")
            #expect(
                reason(try await alice.error("invoice.create", ["amount_msat": "1000", "description": "a"]))
                    == "invalid_params")
            #expect(
                reason(
                    try await alice.error("invoice.create", ["amount_sat": .integer(Int64.max), "description": "a"]))
                    == "invalid_amount")
            #expect(
                reason(try await alice.error("invoice.create", ["description": "a", "colour": "blue"]))
                    == "invalid_params")
            #expect(reason(try await alice.error("invoice.wait", [:])) == "invalid_params")
            // A status filter outside its list is refused, the same way for invoices, payments and proofs.
            for method in ["invoice.list", "payment.list", "proof.list"] {
                #expect(reason(try await alice.error(method, ["status": "bogus"])) == "invalid_params", "\(method)")
            }
            #expect(reason(try await alice.error("invoice.nope")) == "method_not_found")
            let created = try await alice.call("invoice.create", ["amount_msat": 1000, "description": "to cancel"])
            let canceled = try await alice.call(
                "invoice.cancel", ["payment_hash": .string(created.string("payment_hash"))])
            #expect(canceled.string("status") == "canceled")
            #expect(canceled["replayed"] == .bool(false))
            // A repeated cancel is a replay; an invoice that expired cannot be canceled.
            let again = try await alice.call(
                "invoice.cancel", ["payment_hash": .string(created.string("payment_hash"))])
            #expect(again["replayed"] == .bool(true))
            let shortLived = try await alice.call(
                "invoice.create", ["amount_msat": 1000, "description": "to expire", "expiry_s": 1])
            let expired = try await alice.call(
                "invoice.wait", ["payment_hash": .string(shortLived.string("payment_hash")), "timeout_s": 10])
            #expect(expired.string("status") == "expired")
            #expect(
                reason(
                    try await alice.error(
                        "invoice.cancel", ["payment_hash": .string(shortLived.string("payment_hash"))]))
                    == "invoice_not_open")
            let events = try await alice.call("events.list").arrayValue ?? []
            #expect(events.map { $0.string("type") } == ["invoice.canceled", "invoice.expired"])
        }
    }

    @Test func expiredInvoicesAreMarkedAndAnnounced() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let created = try await alice.call(
                "invoice.create", ["amount_msat": 1000, "description": "short", "expiry_s": 1])
            let waited = try await alice.call(
                "invoice.wait", ["payment_hash": .string(created.string("payment_hash")), "timeout_s": 10])
            #expect(waited.string("status") == "expired")
            #expect(
                (try await alice.call("events.list").arrayValue ?? []).map { $0.string("type") } == ["invoice.expired"])
        }
    }

    @Test func rpcDiscoverPublishesEveryMethodWithItsErrors() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let document = try await alice.call("rpc.discover")
            #expect(document.string("openrpc").hasPrefix("1."))
            let names = (document["methods"]?.arrayValue ?? []).map { $0.string("name") }
            let expected = [
                "account.close", "account.create", "account.get", "account.list", "account.statement",
                "account.transfer",
                "account.update",
                "daemon.backup", "daemon.health", "daemon.info", "daemon.stop", "events.list", "events.subscribe",
                "events.wait",
                "invoice.cancel", "invoice.create", "invoice.decode", "invoice.get", "invoice.list", "invoice.wait",
                "ledger.audit", "node.channels", "node.info", "payment.get", "payment.list", "payment.send",
                "proof.attest", "proof.create", "proof.export",
                "proof.get", "proof.history", "proof.import", "proof.list", "proof.owner_key", "proof.redeem",
                "proof.revoke", "proof.transfer", "proof.verify", "rates.get", "rpc.discover",
                "wallet.balance", "wallet.transactions",
            ]
            #expect(names == expected)
            #expect(names == RPCMethod.Declaration.all.map(\.name))
            // The daemon publishes exactly the static declarations that docs/api.md is made from.
            #expect(document == OpenRPCDocument.complete)
            let roles = (document["info"]?["x-roles"]?.arrayValue ?? []).map { $0.string("name") }
            #expect(roles == ["readonly", "invoice", "spend", "admin"], "from least to most powerful")
            let roleOf = Dictionary(
                uniqueKeysWithValues: (document["methods"]?.arrayValue ?? []).map {
                    ($0.string("name"), $0.string("x-role"))
                })
            #expect(
                names.filter { roleOf[$0] == "spend" } == [
                    "account.transfer", "payment.send", "proof.attest", "proof.create", "proof.import", "proof.redeem",
                    "proof.revoke",
                    "proof.transfer",
                ])
            #expect(
                names.filter { roleOf[$0] == "admin" } == [
                    "account.close", "account.update", "daemon.backup", "daemon.stop", "ledger.audit",
                ])
            let send = document["methods"]?.arrayValue?.first { $0.string("name") == "payment.send" }
            let reasons = (send?["errors"]?.arrayValue ?? []).compactMap { $0["data"]?.string("reason") }
            #expect(reasons.contains("already_paid") && reasons.contains("insufficient_balance"))
            for method in document["methods"]?.arrayValue ?? [] {
                for error in method["errors"]?.arrayValue ?? [] {
                    #expect(
                        RPCErrorReason.named(error["data"]?.string("reason") ?? "")?.code == Int(error.integer("code")))
                }
            }
        }
    }
}
