import Foundation
import JSONRPC
import Secp256k1
import TestSupport
import Testing

/// The platform workflow of proofs.md across two daemons on one dev network.
@Suite(.serialized) struct ProofWorkflowTests {
    /// Waits until `daemon` logs an event of `type` after `since`; returns it.
    func waitForEvent(_ daemon: DaemonProcess, _ type: String, since: Int64 = 0) async throws -> JSONValue? {
        var after = since
        for _ in 0..<50 {
            let events =
                try await daemon.call("events.wait", ["since": .integer(after), "timeout_s": 1]).arrayValue ?? []
            if let match = events.first(where: { $0.string("type") == type }) { return match }
            after = events.last?.integer("index") ?? after
        }
        return nil
    }

    @Test(arguments: [
        (
            "mentoring_session",
            ["mentor": "alice", "mentee": "bob", "topic": "swift", "date": "2026-11-25", "duration": "60"]
        ),
        ("purchase", ["seller": "shop", "buyer": "bob", "item": "course", "order": "o-17", "price": "5000 sat"]),
    ])
    func issueTransferAgainstPaymentExportAndImport(kind: String, fields: [String: String]) async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let customer = try await network.daemon()

            let fieldObject = JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })
            let proof = try await platform.call(
                "proof.create", ["kind": .string(kind), "fields": .object(fieldObject), "owner": "account:seller-42"])
            let proofID = proof.string("proof_id")
            #expect(proof.string("owner_account") == "account:seller-42")
            #expect(proof["fields"]?.objectValue?.count == 5)
            let buyerKey = try await customer.call("proof.owner_key", ["owner": "account:buyer-7"]).string("pubkey")

            let transfer = try await platform.call(
                "proof.transfer",
                [
                    "proof_id": .string(proofID), "to": .string(buyerKey),
                    "payment": ["amount_msat": 5_000_000, "description": "session"],
                ])
            let bolt11 = transfer["invoice"]?.string("bolt11") ?? ""
            #expect(transfer["proof"]?.string("status") == "transfer_pending")
            #expect(transfer["proof"]?.string("owner") == proof.string("owner"))
            let pendingError = try await platform.error(
                "proof.transfer", ["proof_id": .string(proofID), "to": "account:other"])
            #expect(pendingError?.reason.name == "transfer_pending")

            let payment = try await customer.call("payment.send", ["bolt11": .string(bolt11)])
            #expect(payment.string("status") == "succeeded")
            // What the platform's proof.transferred and, later, the customer's proof.imported say.
            let movedToBuyer: JSONValue = [
                "proof_id": .string(proofID), "kind": .string(kind), "owner": .string(buyerKey), "status": "active",
                "sequence": 1,
            ]
            #expect(try await waitForEvent(platform, "proof.transferred")?["data"] == movedToBuyer)
            let after = try await platform.call("proof.get", ["proof_id": .string(proofID)])
            #expect(after.string("status") == "active")
            #expect(after.string("owner") == buyerKey)

            let history = try await platform.call("proof.history", ["proof_id": .string(proofID)])
            let transitions = history["transitions"]?.arrayValue ?? []
            #expect(transitions.count == 1)
            #expect(transitions.first?.string("state") == "final")
            #expect(transitions.first?.string("payment_hash") == transfer["invoice"]?.string("payment_hash"))
            let events = (try await platform.call("events.list").arrayValue ?? []).map { $0.string("type") }
            #expect(events == ["proof.created", "proof.transfer_pending", "invoice.paid", "proof.transferred"])

            let exported = try await platform.call("proof.export", ["proof_id": .string(proofID)])
            let imported = try await customer.call("proof.import", ["consignment": exported["consignment"] ?? .null])
            #expect(imported["verification"]?["valid"] == .bool(true))
            #expect(imported["proof"]?.string("owner_account") == "account:buyer-7")
            let verified = try await customer.call("proof.verify", ["proof_id": .string(proofID)])
            #expect(verified["failed_rules"]?.arrayValue == [])
            #expect(verified["issuer_trusted"] == .bool(false))
            #expect(try await waitForEvent(customer, "proof.imported")?["data"] == movedToBuyer)

            // The buyer, now the owner, can move it on from its own daemon; the platform's copy is stale but valid.
            let onward = try await customer.call(
                "proof.transfer", ["proof_id": .string(proofID), "to": "account:gift"])
            #expect(onward["proof"]?.integer("sequence") == 2)
        }
    }

    @Test func partialDisclosureShowsOnlyTheChosenFields() async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let other = try await network.daemon()
            let proof = try await platform.call(
                "proof.create",
                [
                    "kind": "mentoring_session", "owner": "account:m",
                    "fields": [
                        "mentor": "alice", "mentee": "bob", "topic": "secret-topic", "date": "d", "duration": "90",
                    ],
                ])
            let exported = try await platform.call(
                "proof.export", ["proof_id": .string(proof.string("proof_id")), "disclose": ["mentor", "date"]])
            let text = String(decoding: (exported["consignment"] ?? .null).serialized(), as: UTF8.self)
            #expect(!text.contains("secret-topic") && !text.contains("bob"))
            let verified = try await other.call("proof.verify", ["consignment": exported["consignment"] ?? .null])
            #expect(verified["valid"] == .bool(true))
            #expect(verified["disclosed_fields"]?.objectValue?.keys.sorted() == ["date", "mentor"])
            let unknown = try await platform.error(
                "proof.export", ["proof_id": .string(proof.string("proof_id")), "disclose": ["nope"]])
            #expect(unknown?.reason.name == "invalid_params")
        }
    }

    @Test func externalOwnersSignTheirOwnTransfers() async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let key = PrivateKey.random()
            let proof = try await platform.call(
                "proof.create",
                ["kind": "purchase", "owner": .string(key.xOnlyPublicKey.bytes.hex), "fields": ["item": "x"]])
            let proofID = JSONValue.string(proof.string("proof_id"))
            let step1 = try await platform.call("proof.transfer", ["proof_id": proofID, "to": "account:next"])
            #expect(step1.string("status") == "signature_required")
            let sighash = [UInt8](hex: step1.string("sighash"))!
            let wrong = PrivateKey.random().signSchnorr(message: sighash)
            let refused = try await platform.error(
                "proof.transfer",
                [
                    "proof_id": proofID, "to": "account:next", "transition_id": step1["transition_id"] ?? .null,
                    "signature": .string(wrong.bytes.hex),
                ])
            #expect(refused?.reason.name == "invalid_proof_signature")
            let signature = key.signSchnorr(message: sighash)
            let done = try await platform.call(
                "proof.transfer",
                [
                    "proof_id": proofID, "to": "account:next", "transition_id": step1["transition_id"] ?? .null,
                    "signature": .string(signature.bytes.hex),
                ])
            #expect(done["proof"]?.string("owner_account") == "account:next")
            #expect(
                try await platform.error("proof.get", ["proof_id": .string(String(repeating: "0", count: 64))])?.reason
                    .name
                    == "proof_not_found")
        }
    }

    @Test func anUnpaidTransferIsCanceledWhenItsInvoiceExpires() async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let proof = try await platform.call(
                "proof.create", ["kind": "purchase", "owner": "account:s", "fields": ["item": "x"]])
            let proofID = JSONValue.string(proof.string("proof_id"))
            _ = try await platform.call(
                "proof.transfer",
                ["proof_id": proofID, "to": "account:b", "payment": ["amount_msat": 1000, "expiry_s": 1]])
            #expect(try await waitForEvent(platform, "proof.transfer_canceled") != nil)
            let after = try await platform.call("proof.get", ["proof_id": proofID])
            #expect(after.string("status") == "active")
            #expect(after.string("owner_account") == "account:s")
            let again = try await platform.call("proof.transfer", ["proof_id": proofID, "to": "account:b"])
            #expect(again["proof"]?.string("owner_account") == "account:b")
        }
    }
}
