import Foundation
import JSONRPC
import Proofs
import Secp256k1
import Store
import Wallet

extension DaemonComponents {
    /// `proof.redeem` and `proof.revoke`: the end of a proof's life (docs/proofs.md, "Redemption",
    /// "Revocation").
    var proofLifecycleMethods: [RPCMethod] {
        [
            RPCMethod(.proofRedeem) { params, _ in
                return try await proofs.redeem(
                    proofID: try params.requiredString("proof_id").lowercased(),
                    redeemer: try params.string("redeemer"), redemptionID: try params.string("redemption_id"),
                    ownerSignature: try params.bytes("owner_signature"),
                    redeemerSignature: try params.bytes("redeemer_signature"))
            },
            RPCMethod(.proofAttest) { params, _ in
                let signature = try params.bytes("signature")
                return try await proofs.attest(
                    proofID: try params.requiredString("proof_id").lowercased(),
                    attester: try params.requiredString("attester"),
                    attestationID: try params.string("attestation_id"), signature: signature)
            },
            RPCMethod(.proofRevoke) { params, _ in
                try await proofs.revoke(proofID: try params.requiredString("proof_id").lowercased())
            },
        ]
    }
}

extension DaemonComponents {
    /// `account:<id>` for a key this daemon derives, else `null` (for `proof.history`).
    func accountReference(_ key: String) async throws -> JSONValue {
        try await store.account(forKey: key).map { .string("account:\($0)") } ?? .null
    }

    /// The lifecycle terms `params` ask for (``LifecycleTerms/none`` when none).
    static func lifecycleTerms(_ params: Params) throws -> LifecycleTerms {
        let attesters = try (params.object["attesters"]?.arrayValue ?? []).map { item in
            guard let text = item.stringValue, let bytes = [UInt8](hex: text.lowercased()),
                let key = try? XOnlyPublicKey(bytes: bytes)
            else { throw DaemonError.invalidParams("'attesters' must be a list of x-only keys in hex") }
            return key
        }
        let expiresAt = try params.integer("expires_at").map(UInt64.init)
        let revocable = try params.bool("revocable") ?? false
        do {
            return try LifecycleTerms(expiresAt: expiresAt, revocable: revocable, attesters: attesters)
        } catch {
            throw DaemonError.invalidParams("cannot issue the proof: \(error.detail)", underlying: error)
        }
    }

    /// The issuer and field conditions of `proof.list`.
    static func proofListFilter(_ params: Params) throws -> ProofFilter {
        var filter = ProofFilter()
        filter.issuer = try params.string("issuer")?.lowercased()
        if let field = try params.members("field") {
            filter.field = (try field.requiredString("name"), try field.requiredString("value"))
        }
        filter.issuedFrom = try params.integer("issued_from")
        filter.issuedTo = try params.integer("issued_to")
        return filter
    }
}
