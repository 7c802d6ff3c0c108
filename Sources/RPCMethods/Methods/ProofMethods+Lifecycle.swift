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
        let proofID = RPCMethod.Param.required("proof_id", Schema.hex32, "the proof (contract) id")
        let key: JSONValue = ["type": "string", "description": "'account:<id>' or an x-only public key (hex)"]
        return [
            RPCMethod(
                "proof.redeem", role: .admin,
                summary: """
                    Redeem (burn) a proof, optionally co-signed by a redeemer (a gate); nothing can follow. Keys \
                    this daemon holds sign at once; an external owner or redeemer gets the redemption to sign \
                    (signature_required, sighash, signers) and signs in a second call (redemption_id + \
                    owner_signature and/or redeemer_signature).
                    """,
                params: [proofID, .optional("redeemer", key, "the key that co-signs the redemption")]
                    + Self.secondStepParams(id: "redemption_id", signature: "redeemer_signature", of: "redemption")
                    + [
                        .optional(
                            "owner_signature", ["type": "string", "pattern": "^[0-9a-f]{128}$"],
                            "second step: the external owner's BIP340 signature of the redemption id")
                    ],
                result: Schema.anyObject,
                errors: [
                    "proof_not_found", "transfer_pending", "double_transfer", "proof_revoked",
                    "invalid_proof_signature", "transition_not_found",
                ]
            ) { params, _ in
                return try await proofs.redeem(
                    proofID: try params.requiredString("proof_id").lowercased(),
                    redeemer: try params.string("redeemer"), redemptionID: try params.string("redemption_id"),
                    ownerSignature: try Self.signature(params, "owner_signature"),
                    redeemerSignature: try Self.signature(params, "redeemer_signature"))
            },
            RPCMethod(
                "proof.attest", role: .admin,
                summary: """
                    Attest a proof as one of its genesis attesters; a key this daemon holds signs at once, an \
                    external attester signs in a second call (attestation_id + signature).
                    """,
                params: [proofID, .required("attester", key, "the attester: 'account:<id>' or its x-only key")]
                    + Self.secondStepParams(id: "attestation_id", signature: "signature", of: "attestation"),
                result: Schema.anyObject,
                errors: ["proof_not_found", "not_attester", "invalid_proof_signature", "transition_not_found"]
            ) { params, _ in
                let signature = try Self.signature(params, "signature")
                return try await proofs.attest(
                    proofID: try params.requiredString("proof_id").lowercased(),
                    attester: try params.requiredString("attester"),
                    attestationID: try params.string("attestation_id"), signature: signature)
            },
            RPCMethod(
                "proof.revoke", role: .admin,
                summary: "Revoke a proof this daemon issued as revocable; it can no longer move or be redeemed.",
                params: [proofID], result: Schema.anyObject,
                errors: ["proof_not_found", "not_revocable", "proof_revoked"]
            ) { params, _ in
                try await proofs.revoke(proofID: try params.requiredString("proof_id").lowercased())
            },
        ]
    }
}

extension DaemonComponents {
    /// The `proof.create` params of a genesis's lifecycle terms.
    static let lifecycleTermParams: [RPCMethod.Param] = [
        .optional("expires_at", Schema.integer(0, Int64.max), "Unix seconds from which the proof is expired"),
        .optional("revocable", Schema.boolean, "whether this daemon (the issuer) may revoke it"),
        .optional(
            "attesters", Schema.array(Schema.hex32), "x-only keys that must all attest before the proof is complete"),
    ]

    /// `account:<id>` for a key this daemon derives, else `null` (for `proof.history`).
    func accountReference(_ key: String) async throws -> JSONValue {
        try await store.account(forKey: key).map { .string("account:\($0)") } ?? .null
    }

    /// The params of the second call of an external signer: the id of the record to sign and the signature.
    static func secondStepParams(id: String, signature: String, of record: String) -> [RPCMethod.Param] {
        [
            .optional(id, Schema.hex32, "second step: the \(record) to sign"),
            .optional(
                signature, ["type": "string", "pattern": "^[0-9a-f]{128}$"],
                "second step: the external key's BIP340 signature of the \(record) id"),
        ]
    }

    /// The 64-byte BIP340 signature in param `name`, if given.
    static func signature(_ params: Params, _ name: String) throws -> [UInt8]? {
        try params.string(name).map { text in
            guard let bytes = [UInt8](hex: text), bytes.count == 64 else {
                throw DaemonError.invalidParams("'\(name)' must be 128 hex digits")
            }
            return bytes
        }
    }

    /// The lifecycle terms `params` ask for (``LifecycleTerms/none`` when none).
    static func lifecycleTerms(_ params: Params) throws -> LifecycleTerms {
        var attesters: [XOnlyPublicKey] = []
        if let value = params.object["attesters"], !value.isNull {
            guard let list = value.arrayValue else {
                throw DaemonError.invalidParams("'attesters' must be a list of x-only keys in hex")
            }
            attesters = try list.map { item in
                guard let text = item.stringValue, let bytes = [UInt8](hex: text),
                    let key = try? XOnlyPublicKey(bytes: bytes)
                else { throw DaemonError.invalidParams("'attesters' must be a list of x-only keys in hex") }
                return key
            }
        }
        let expiresAt = try params.integer("expires_at", in: 0...Int64.max).map(UInt64.init)
        let revocable = try params.bool("revocable") ?? false
        do {
            return try LifecycleTerms(expiresAt: expiresAt, revocable: revocable, attesters: attesters)
        } catch {
            throw DaemonError.invalidParams("cannot issue the proof: \(error.detail)")
        }
    }
}

extension DaemonComponents {
    /// The `proof.list` params that select by issuer and by a field's value.
    static let proofListFilterParams: [RPCMethod.Param] = [
        .optional("issuer", Schema.hex32, "only proofs of this issuer (x-only key)"),
        .optional(
            "field", Schema.object([("name", Schema.string), ("value", Schema.string)]),
            "only proofs with this field value (fields the daemon knows: it issued the proof or received it disclosed)"),
        .optional(
            "issued_from", Schema.integer(0, Int64.max),
            "only proofs issued at or after this time (genesis issued_at, Unix s)"),
        .optional(
            "issued_to", Schema.integer(0, Int64.max),
            "only proofs issued at or before this time (genesis issued_at, Unix s)"),
    ]

    /// The issuer and field conditions of `proof.list`.
    static func proofListFilter(_ params: Params) throws -> ProofFilter {
        var filter = ProofFilter()
        if let issuer = try params.string("issuer") {
            guard let bytes = [UInt8](hex: issuer.lowercased()), bytes.count == 32 else {
                throw DaemonError.invalidParams("'issuer' must be a 32-byte x-only key in hex")
            }
            filter.issuer = bytes.hex
        }
        if let value = params.object["field"], !value.isNull {
            guard let object = value.objectValue, let name = object["name"]?.stringValue,
                let text = object["value"]?.stringValue, object.count == 2
            else { throw DaemonError.invalidParams("'field' must be {\"name\": …, \"value\": …} of strings") }
            filter.field = (name, text)
        }
        filter.issuedFrom = try params.integer("issued_from", in: 0...Int64.max)
        filter.issuedTo = try params.integer("issued_to", in: 0...Int64.max)
        return filter
    }
}
