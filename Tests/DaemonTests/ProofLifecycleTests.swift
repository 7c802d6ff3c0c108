import Foundation
import JSONRPC
import Secp256k1
import TestSupport
import Testing

/// Redemption and revocation through the RPC, across daemons (docs/proofs.md, "Redemption", "Revocation").
@Suite(.serialized) struct ProofLifecycleTests {
    let workflow = ProofWorkflowTests()

    @Test func ticketIsSoldRedeemedAtAGateOnceAndSeenRedeemedByAThirdParty() async throws {
        try await DevNetwork.run { network in
            let club = try await network.daemon()
            let fan = try await network.daemon()
            let auditor = try await network.daemon()
            let ticket = try await club.call(
                "proof.create", ["kind": "ticket", "fields": ["seat": "B12"], "owner": "account:club"])
            let proofID = JSONValue.string(ticket.string("proof_id"))
            let fanKey = try await fan.call("proof.owner_key", ["owner": "account:fan-1"]).string("pubkey")
            let sale = try await club.call(
                "proof.transfer",
                ["proof_id": proofID, "to": .string(fanKey), "payment": ["amount_msat": 2_000_000]])
            let payment = try await fan.call(
                "payment.send", ["bolt11": .string(sale["invoice"]?.string("bolt11") ?? "")])
            #expect(payment.string("status") == "succeeded")
            #expect(try await workflow.waitForEvent(club, "proof.transferred") != nil)
            let sold = try await club.call("proof.export", ["proof_id": proofID])
            _ = try await fan.call("proof.import", ["consignment": sold["consignment"] ?? .null])

            let gate = PrivateKey.random()
            let step1 = try await fan.call(
                "proof.redeem", ["proof_id": proofID, "redeemer": .string(gate.xOnlyPublicKey.bytes.hex)])
            #expect(step1.string("status") == "signature_required")
            let sighash = try #require([UInt8](hex: step1.string("sighash")))
            let forged = try await fan.error(
                "proof.redeem",
                [
                    "proof_id": proofID, "redemption_id": step1["redemption_id"] ?? .null,
                    "redeemer_signature": .string(PrivateKey.random().signSchnorr(message: sighash).bytes.hex),
                ])
            #expect(forged?.reason.name == "invalid_proof_signature")
            let redeemed = try await fan.call(
                "proof.redeem",
                [
                    "proof_id": proofID, "redemption_id": step1["redemption_id"] ?? .null,
                    "redeemer_signature": .string(gate.signSchnorr(message: sighash).bytes.hex),
                ])
            #expect(redeemed["proof"]?.string("status") == "redeemed")
            #expect(try await workflow.waitForEvent(fan, "proof.redeemed") != nil)

            let again = try await fan.error("proof.redeem", ["proof_id": proofID])
            #expect(again?.reason.name == "double_transfer")
            let moved = try await fan.error("proof.transfer", ["proof_id": proofID, "to": "account:friend"])
            #expect(moved?.reason.name == "double_transfer")

            let consignment = try await fan.call("proof.export", ["proof_id": proofID])["consignment"] ?? .null
            #expect(consignment.integer("version") == 2)
            let seen = try await auditor.call("proof.import", ["consignment": consignment])
            #expect(seen["verification"]?["failed_rules"]?.arrayValue == [])
            #expect(seen["verification"]?.string("status") == "redeemed")
            #expect(seen["verification"]?["redemption"]?.string("redeemer") == gate.xOnlyPublicKey.bytes.hex)
            #expect(seen["proof"]?.string("status") == "redeemed")
            let back = try await club.call("proof.import", ["consignment": consignment])
            #expect(back["proof"]?.string("status") == "redeemed")
            let history = try await fan.call("proof.history", ["proof_id": proofID])
            #expect(history["initial_owner_account"] == .null)
            #expect(history["transitions"]?.arrayValue?.map { $0.string("new_owner_account") } == ["account:fan-1"])
            #expect(history["redemption"]?.string("redeemer") == gate.xOnlyPublicKey.bytes.hex)
            let clubHistory = try await club.call("proof.history", ["proof_id": proofID])
            #expect(clubHistory.string("initial_owner_account") == "account:club")
        }
    }

    @Test func onlyARevocableProofIsRevokedAndThenNothingMoves() async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let plain = try await platform.call(
                "proof.create", ["kind": "badge", "fields": ["level": "1"], "owner": "account:m"])
            let refused = try await platform.error("proof.revoke", ["proof_id": .string(plain.string("proof_id"))])
            #expect(refused?.reason.name == "not_revocable")

            let proof = try await platform.call(
                "proof.create",
                ["kind": "badge", "fields": ["level": "2"], "owner": "account:m", "revocable": true, "expires_at": 1])
            let proofID = JSONValue.string(proof.string("proof_id"))
            let revoked = try await platform.call("proof.revoke", ["proof_id": proofID])
            #expect(revoked["proof"]?.string("status") == "revoked")
            #expect(try await workflow.waitForEvent(platform, "proof.revoked") != nil)
            #expect(try await platform.error("proof.revoke", ["proof_id": proofID])?.reason.name == "proof_revoked")
            #expect(
                try await platform.error("proof.transfer", ["proof_id": proofID, "to": "account:x"])?.reason.name
                    == "proof_revoked")
            let verified = try await platform.call("proof.verify", ["proof_id": proofID])
            #expect(verified.string("status") == "revoked")
            #expect(verified["revoked_at"]?.int64Value != nil)
            let listed = try await platform.call("proof.list", ["status": "revoked"])
            #expect(listed["items"]?.arrayValue?.map { $0.string("proof_id") } == [proof.string("proof_id")])
            let byField = try await platform.call("proof.list", ["field": ["name": "level", "value": "2"]])
            #expect(byField["items"]?.arrayValue?.map { $0.string("proof_id") } == [proof.string("proof_id")])
            let byIssuer = try await platform.call("proof.list", ["issuer": .string(proof.string("issuer"))])
            #expect(byIssuer["items"]?.arrayValue?.count == 2)
            let otherIssuer = try await platform.call(
                "proof.list", ["issuer": .string(String(repeating: "ab", count: 32))])
            #expect(otherIssuer["items"]?.arrayValue == [])
        }
    }
}

extension ProofLifecycleTests {
    @Test func coSignedPurchaseIsIncompleteUntilTheExternalBuyerAndTheMerchantAttest() async throws {
        try await DevNetwork.run { network in
            let shop = try await network.daemon()
            let buyer = PrivateKey.random()
            let buyerKey = JSONValue.string(buyer.xOnlyPublicKey.bytes.hex)
            let merchantKey = try await shop.call("proof.owner_key", ["owner": "account:merchant"]).string("pubkey")
            let proof = try await shop.call(
                "proof.create",
                [
                    "kind": "purchase", "fields": ["item": "course"], "owner": buyerKey,
                    "attesters": [buyerKey, .string(merchantKey)],
                ])
            let proofID = JSONValue.string(proof.string("proof_id"))
            #expect(proof.string("status") == "incomplete")

            let merchant = try await shop.call("proof.attest", ["proof_id": proofID, "attester": "account:merchant"])
            #expect(merchant["proof"]?.string("status") == "incomplete")
            #expect(merchant["missing_attesters"]?.arrayValue == [buyerKey])
            #expect(try await workflow.waitForEvent(shop, "proof.attested") != nil)
            let twice = try await shop.error("proof.attest", ["proof_id": proofID, "attester": "account:merchant"])
            #expect(twice?.reason.name == "not_attester")

            let step1 = try await shop.call("proof.attest", ["proof_id": proofID, "attester": buyerKey])
            #expect(step1.string("status") == "signature_required")
            let sighash = try #require([UInt8](hex: step1.string("sighash")))
            let forged = try await shop.error(
                "proof.attest",
                [
                    "proof_id": proofID, "attester": buyerKey, "attestation_id": step1["attestation_id"] ?? .null,
                    "signature": .string(PrivateKey.random().signSchnorr(message: sighash).bytes.hex),
                ])
            #expect(forged?.reason.name == "invalid_proof_signature")
            let complete = try await shop.call(
                "proof.attest",
                [
                    "proof_id": proofID, "attester": buyerKey, "attestation_id": step1["attestation_id"] ?? .null,
                    "signature": .string(buyer.signSchnorr(message: sighash).bytes.hex),
                ])
            #expect(complete["proof"]?.string("status") == "active")
            #expect(complete["missing_attesters"]?.arrayValue == [])
            #expect(try await workflow.waitForEvent(shop, "proof.completed") != nil)
            let verified = try await shop.call("proof.verify", ["proof_id": proofID])
            #expect(verified["failed_rules"]?.arrayValue == [])
            #expect(verified.string("status") == "active")
        }
    }
}

extension ProofLifecycleTests {
    /// A mentoring session moves account:a -> account:b -> account:c: each account lists it by `held_by`, only
    /// account:c by `owner`; the issue-time range and `total` hold over the RPC.
    @Test func everyAccountThatEverHeldAProofListsItByHeldBy() async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let session = try await platform.call(
                "proof.create", ["kind": "mentoring_session", "fields": ["topic": "swift"], "owner": "account:a"])
            let proofID = session.string("proof_id")
            _ = try await platform.call(
                "proof.create", ["kind": "badge", "fields": ["level": "1"], "owner": "account:z"])
            for next in ["account:b", "account:c"] {
                _ = try await platform.call("proof.transfer", ["proof_id": .string(proofID), "to": .string(next)])
            }
            for holder in ["account:a", "account:b", "account:c"] {
                let listed = try await platform.call("proof.list", ["held_by": .string(holder)])
                #expect(listed["items"]?.arrayValue?.map { $0.string("proof_id") } == [proofID], "\(holder)")
                #expect(listed.integer("total") == 1, "\(holder)")
            }
            let owned = try await platform.call("proof.list", ["owner": "account:b"])
            #expect(owned["items"]?.arrayValue == [] && owned.integer("total") == 0)
            let all = try await platform.call("proof.list", ["limit": 1])
            #expect(all["items"]?.arrayValue?.count == 1 && all.integer("total") == 2)
            let issuedAt = try #require(session["issued_at"]?.int64Value)
            let inRange = try await platform.call(
                "proof.list",
                ["held_by": "account:a", "issued_from": .integer(issuedAt), "issued_to": .integer(issuedAt)])
            #expect(inRange["items"]?.arrayValue?.map { $0.string("proof_id") } == [proofID])
            // After the newest proof's issue second (the second proof may be issued a second after the first).
            let newest =
                try await platform.call("proof.list")["items"]?.arrayValue?
                .compactMap { $0["issued_at"]?.int64Value }.max() ?? issuedAt
            let later = try await platform.call("proof.list", ["issued_from": .integer(newest + 1)])
            #expect(later["items"]?.arrayValue == [] && later.integer("total") == 0)
            let refused = try await platform.error("proof.list", ["issued_from": -1])
            #expect(refused?.reason.name == "invalid_params")
            let cli = try BackupRestoreTests().t4gctl([
                "proof", "list", "--held-by", "account:b", "--issued-from", "\(issuedAt)", "--issued-to",
                "\(issuedAt)", "--socket", platform.socketPath, "--json",
            ])
            #expect(cli.status == 0)
            let printed = try JSONValue.parse(Array(cli.output.utf8))
            #expect(printed["items"]?.arrayValue?.map { $0.string("proof_id") } == [proofID])
            #expect(printed.integer("total") == 1)
        }
    }
}

extension ProofLifecycleTests {
    /// An owner who keeps its own key redeems in two calls: the first returns the redemption to sign and who
    /// must sign it, the second brings the owner's signature (and an external redeemer's); a forged owner
    /// signature and a missing co-signature are refused, and nothing is redeemed until both are right.
    @Test func anExternalOwnerRedeemsInTwoStepsWithAnExternalOrAHeldRedeemer() async throws {
        try await DevNetwork.run { network in
            let platform = try await network.daemon()
            let (owner, gate) = (PrivateKey.random(), PrivateKey.random())
            func issue() async throws -> JSONValue {
                let created = try await platform.call(
                    "proof.create",
                    ["kind": "token", "fields": ["n": "1"], "owner": .string(owner.xOnlyPublicKey.bytes.hex)])
                return .string(created.string("proof_id"))
            }
            func sign(_ key: PrivateKey, _ step: JSONValue) throws -> JSONValue {
                .string(key.signSchnorr(message: try #require([UInt8](hex: step.string("sighash")))).bytes.hex)
            }

            let withGate = try await issue()
            let first = try await platform.call(
                "proof.redeem", ["proof_id": withGate, "redeemer": .string(gate.xOnlyPublicKey.bytes.hex)])
            #expect(first.string("status") == "signature_required")
            #expect(first["signers"] == ["owner", "redeemer"])
            let onlyOwner = try await platform.error(
                "proof.redeem",
                [
                    "proof_id": withGate, "redemption_id": first["redemption_id"] ?? .null,
                    "owner_signature": try sign(owner, first),
                ])
            #expect(onlyOwner?.reason.name == "invalid_params")
            let forged = try await platform.error(
                "proof.redeem",
                [
                    "proof_id": withGate, "redemption_id": first["redemption_id"] ?? .null,
                    "owner_signature": try sign(gate, first), "redeemer_signature": try sign(gate, first),
                ])
            #expect(forged?.reason.name == "invalid_proof_signature")
            #expect(try await platform.call("proof.get", ["proof_id": withGate]).string("status") == "active")
            let redeemed = try await platform.call(
                "proof.redeem",
                [
                    "proof_id": withGate, "redemption_id": first["redemption_id"] ?? .null,
                    "owner_signature": try sign(owner, first), "redeemer_signature": try sign(gate, first),
                ])
            #expect(redeemed["proof"]?.string("status") == "redeemed")
            #expect(redeemed.string("redemption_id") == first.string("redemption_id"))

            for redeemer: JSONValue in ["account:gate", .null] {
                let proofID = try await issue()
                let step = try await platform.call("proof.redeem", ["proof_id": proofID, "redeemer": redeemer])
                #expect(step["signers"] == ["owner"], "redeemer \(redeemer)")
                let done = try await platform.call(
                    "proof.redeem",
                    [
                        "proof_id": proofID, "redemption_id": step["redemption_id"] ?? .null,
                        "owner_signature": try sign(owner, step),
                    ])
                #expect(done["proof"]?.string("status") == "redeemed", "redeemer \(redeemer)")
                let verified = try await platform.call("proof.verify", ["proof_id": proofID])
                #expect(verified["failed_rules"]?.arrayValue == [])
                #expect(verified.string("status") == "redeemed")
            }
        }
    }
}
