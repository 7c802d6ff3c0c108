import Foundation
import JSONRPC
import Secp256k1
import TestSupport
import Testing

/// `proof.create` and `proof.transfer` repeated between real daemons: the first result comes back
/// (`replayed: true`), no second proof or transition, keys hold across instances and kills; a payment-bound
/// transfer from an external owner hands out its invoice only once the owner's signature is checked. A repeated
/// create and its conflict are tested in process (`DaemonServiceTests.ProofCreateReplayTests`).
@Suite(.serialized) struct ProofReplayTests {
    static let create: JSONObject = [
        "kind": "mentoring_session", "owner": "account:mentor", "fields": ["topic": "swift"],
        "idempotency_key": "issue-1",
    ]

    @Test func t4gctlPassesTheIdempotencyKey() async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let arguments = [
                "proof", "create", "--kind", "cli", "--owner", "account:o", "--field", "a=b", "--idempotency-key",
                "cli-1", "--socket", platform.socketPath, "--json",
            ]
            let answers = try (0..<2).map { _ in
                let run = try BackupRestoreTests().t4gctl(arguments)
                #expect(run.status == 0)
                return try JSONValue.parse(Array(run.output.utf8))
            }
            #expect(answers.map { $0["replayed"] } == [.bool(false), .bool(true)])
            #expect(answers[0].string("proof_id") == answers[1].string("proof_id"))
        }
    }

    @Test func concurrentCreatesUnderOneKeyIssueOneProof() async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let answers = try await withThrowingTaskGroup(of: JSONValue.self) { group in
                for _ in 0..<8 { group.addTask { try await platform.call("proof.create", Self.create) } }
                return try await group.reduce(into: [JSONValue]()) { $0.append($1) }
            }
            #expect(Set(answers.map { $0.string("proof_id") }).count == 1)
            #expect(answers.filter { $0["replayed"] == .bool(false) }.count == 1)
            #expect(try await platform.call("proof.list")["items"]?.arrayValue?.count == 1)
        }
    }

    @Test func keysHoldAcrossInstancesSharingAPostgreSQLStore() async throws {
        try await DevNetwork.run(engine: "postgres") { network in
            let payee = try await network.daemon()
            let wallet = try await network.instances(2)
            let invoice = try await payee.call("invoice.create", ["amount_msat": 12_000, "description": "shared"])
            let send: JSONObject = ["bolt11": .string(invoice.string("bolt11")), "idempotency_key": "shared-pay"]
            let answers = try await withThrowingTaskGroup(of: (String, JSONValue).self) { group in
                for index in 0..<8 {
                    group.addTask {
                        index % 2 == 0
                            ? ("proof", try await wallet[index / 2 % 2].call("proof.create", Self.create))
                            : ("payment", try await wallet[index / 2 % 2].call("payment.send", send))
                    }
                }
                return try await group.reduce(into: [(String, JSONValue)]()) { $0.append($1) }
            }
            let proofs = answers.filter { $0.0 == "proof" }.map(\.1)
            let payments = answers.filter { $0.0 == "payment" }.map(\.1)
            #expect(Set(proofs.map { $0.string("proof_id") }).count == 1)
            #expect(proofs.filter { $0["replayed"] == .bool(false) }.count == 1)
            #expect(Set(payments.map { $0.string("payment_hash") }) == [invoice.string("payment_hash")])
            #expect(try await wallet[1].call("proof.list")["items"]?.arrayValue?.count == 1)
            #expect(try await payee.call("wallet.balance").integer("balance_msat") == 1_000_012_000)
        }
    }

    @Test func aRepeatedTransferAddsNoTransition() async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let proof = try await platform.call("proof.create", Self.create)
            let proofID = JSONValue.string(proof.string("proof_id"))
            let transfer: JSONObject = ["proof_id": proofID, "to": "account:mentee", "idempotency_key": "t-1"]
            let first = try await platform.call("proof.transfer", transfer)
            let keyed = try await platform.call("proof.transfer", transfer)
            #expect(keyed["replayed"] == .bool(true))
            #expect(keyed.string("transition_id") == first.string("transition_id"))
            // Unkeyed, to the owner it already has: the current state, no transition from the owner to itself.
            let unkeyed = try await platform.call("proof.transfer", ["proof_id": proofID, "to": "account:mentee"])
            #expect(unkeyed["replayed"] == .bool(true))
            #expect(unkeyed["proof"]?.integer("sequence") == 1)
            var other = transfer
            other["to"] = "account:someone"
            let conflict = try await platform.error("proof.transfer", other)
            #expect(conflict?.reason.name == "idempotency_conflict")
            #expect(conflict?.data["existing"]?.string("transition_id") == first.string("transition_id"))
            let history = try await platform.call("proof.history", ["proof_id": proofID])
            #expect(history["transitions"]?.arrayValue?.count == 1)
        }
    }

    @Test func aKeyedTransferWhoseInvoiceExpiredIsAnsweredAsItStands() async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let proof = try await platform.call("proof.create", Self.create)
            let proofID = JSONValue.string(proof.string("proof_id"))
            let transfer: JSONObject = [
                "proof_id": proofID, "to": "account:mentee", "payment": ["amount_msat": 5000, "expiry_s": 1],
                "idempotency_key": "expiring",
            ]
            let first = try await platform.call("proof.transfer", transfer)
            #expect(first["proof"]?.string("status") == "transfer_pending")
            let invoice = try await platform.call(
                "invoice.wait",
                ["payment_hash": .string(first["invoice"]?.string("payment_hash") ?? ""), "timeout_s": 10])
            #expect(invoice.string("status") == "expired")
            let status = try await settledValue {
                try await platform.call("proof.get", ["proof_id": proofID]).string("status")
            } until: {
                $0 == "active"
            }
            #expect(status == "active")
            let again = try await platform.call("proof.transfer", transfer)
            #expect(again["replayed"] == .bool(true))
            #expect(again.string("transition_id") == first.string("transition_id"))
            #expect(again["proof"]?.string("status") == "active")
            let history = try await platform.call("proof.history", ["proof_id": proofID])
            #expect(history["transitions"]?.arrayValue?.map { $0.string("state") } == ["canceled"])
        }
    }

    @Test func aPaymentBoundTransferFromAnExternalOwnerHandsOutItsInvoiceOnlyAfterTheSignature() async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let customer = try await network.daemon()
            let sale = try await ExternalSale(platform: platform, customer: customer)
            let (proofID, buyer, request) = (sale.proofID, sale.buyer, sale.request)
            let step1 = try await platform.call("proof.transfer", request)
            #expect(step1.string("status") == "signature_required")
            #expect(step1["invoice"] == nil)
            let step1Again = try await platform.call("proof.transfer", request)
            #expect(step1Again["replayed"] == .bool(true))
            #expect(step1Again.string("transition_id") == step1.string("transition_id"))
            #expect(try await platform.call("proof.get", ["proof_id": proofID]).string("status") == "active")

            let signed = sale.signed(step1)
            let step2 = try await platform.call("proof.transfer", signed)
            #expect(step2["replayed"] == .bool(false))
            #expect(step2["proof"]?.string("status") == "transfer_pending")
            let bolt11 = step2["invoice"]?.string("bolt11") ?? ""
            #expect(!bolt11.isEmpty)
            let step2Again = try await platform.call("proof.transfer", signed)
            #expect(step2Again["replayed"] == .bool(true))
            #expect(step2Again["invoice"]?.string("bolt11") == bolt11)

            _ = try await customer.call("payment.send", ["bolt11": .string(bolt11)])
            let owner = try await settledValue {
                try await platform.call("proof.get", ["proof_id": proofID]).string("owner")
            } until: {
                $0 == buyer
            }
            #expect(owner == buyer)
            let history = try await platform.call("proof.history", ["proof_id": proofID])
            #expect(history["transitions"]?.arrayValue?.map { $0.string("state") } == ["final"])
        }
    }

    /// A payment-bound transfer from an external owner, the platform killed (-9) at each step; every call the
    /// kill cut off is repeated after the restart. The invoice handed out is paid once and always ends in a
    /// finalized transfer.
    @Test(arguments: ["proof.after_invoice", "proof.after_transition", "invoice.after_paid"])
    func anExternalPaidTransferFinalizesAcrossAKillAtEveryStep(point: String) async throws {
        try await DevNetwork.run { network in
            var platform = try await network.daemon()
            let customer = try await network.daemon()
            let sale = try await ExternalSale(platform: platform, customer: customer)
            let (proofID, buyer) = (sale.proofID, sale.buyer)
            await platform.stop()
            platform = try await network.restart(platform, environment: ["T4GD_FAULT_POINTS": point])
            var kills = 0

            /// Calls; when the fault point kills the platform, restarts it without the fault and calls again.
            func call(_ params: JSONObject) async throws -> JSONValue {
                if let answer = try? await platform.call("proof.transfer", params) { return answer }
                #expect(await platform.waitForExit() != 0)
                kills += 1
                platform = try await network.restart(platform)
                return try await platform.call("proof.transfer", params)
            }
            let step1 = try await call(sale.request)
            #expect(step1.string("status") == "signature_required")
            let step2 = try await call(sale.signed(step1))
            let bolt11 = step2["invoice"]?.string("bolt11") ?? ""
            #expect(!bolt11.isEmpty)
            #expect(
                try await customer.call("payment.send", ["bolt11": .string(bolt11)]).string("status") == "succeeded")
            if point == "invoice.after_paid" {
                #expect(await platform.waitForExit() != 0)
                kills += 1
                platform = try await network.restart(platform)
            }
            #expect(kills == 1, "the platform died at \(point)")
            let state = try await settledValue {
                try await platform.call("proof.get", ["proof_id": proofID])
            } until: {
                $0.string("owner") == buyer
            }
            #expect(state.string("owner") == buyer)
            #expect(state.string("status") == "active")
            let history = try await platform.call("proof.history", ["proof_id": proofID])
            #expect(history["transitions"]?.arrayValue?.map { $0.string("state") } == ["final"])
            let types = (try await platform.call("events.list").arrayValue ?? []).map { $0.string("type") }
            #expect(types.filter { $0 == "proof.transferred" }.count == 1)
            #expect(types.filter { $0 == "invoice.paid" }.count == 1)
            #expect(try await customer.call("payment.list")["items"]?.arrayValue?.count == 1)
        }
    }
}

/// A proof the platform issued to an external seller (who keeps its key), to be sold to a customer's account
/// by a payment-bound transfer.
struct ExternalSale {
    let seller = PrivateKey.random()
    let proofID: JSONValue
    /// The buyer's key, held by the customer's daemon.
    let buyer: String
    /// The first step of the transfer, under an idempotency key.
    let request: JSONObject

    init(platform: DaemonProcess, customer: DaemonProcess) async throws {
        let proof = try await platform.call(
            "proof.create",
            ["kind": "purchase", "owner": .string(seller.xOnlyPublicKey.bytes.hex), "fields": ["item": "x"]])
        proofID = .string(proof.string("proof_id"))
        buyer = try await customer.call("proof.owner_key", ["owner": "account:buyer"]).string("pubkey")
        request = [
            "proof_id": proofID, "to": .string(buyer), "payment": ["amount_msat": 15_000], "idempotency_key": "sale-1",
        ]
    }

    /// The second step: the request with the seller's signature of the first step's sighash.
    func signed(_ step1: JSONValue) -> JSONObject {
        var signed = request
        signed["transition_id"] = step1["transition_id"] ?? .null
        signed["signature"] = .string(
            seller.signSchnorr(message: [UInt8](hex: step1.string("sighash")) ?? []).bytes.hex)
        return signed
    }
}
