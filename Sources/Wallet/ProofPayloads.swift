import Foundation
import JSONRPC
import Proofs
import Store

/// JSON of the proof objects of the RPC contract.
package enum ProofPayloads {
    /// The proof object: ids, owner (and its account when the daemon holds the key), status, known fields.
    package static func proof(_ record: ProofRecord, account: String?) -> JSONValue {
        let consignment = try? Consignment(json: Data(record.document.utf8))
        let fields = JSONObject((consignment?.disclosedFields ?? []).map { ($0.field.name, .string($0.field.value)) })
        let pending = consignment?.transitions.last.flatMap { $0.isFinal ? nil : $0.transition }
        return [
            "proof_id": .string(record.proofID), "kind": .string(record.kind), "issuer": .string(record.issuer),
            "owner": .string(record.owner), "owner_account": account.map { .string("account:\($0)") } ?? .null,
            "status": .string(record.status), "sequence": .integer(record.sequence),
            "origin": .string(record.origin.rawValue),
            "fields": .object(fields), "created_at": .integer(record.createdAt),
            "updated_at": .integer(record.updatedAt), "issued_at": .integer(record.issuedAt),
            "pending_transfer": pending.map(transition) ?? .null,
        ]
    }

    static func transition(_ transition: Transition) -> JSONValue {
        [
            "transition_id": .string(transition.id.hex), "proof_id": .string(transition.proofID.hex),
            "previous_id": .string(transition.previous.hex), "sequence": .integer(Int64(transition.sequence)),
            "new_owner": .string(transition.newOwner.bytes.hex),
            "payment_hash": transition.paymentHash.map { .string($0.hex) } ?? .null,
            "created_at": .integer(Int64(transition.createdAt)),
        ]
    }

    /// The redemption object of the RPC contract.
    package static func redemption(_ redemption: Redemption) -> JSONValue {
        [
            "redemption_id": .string(redemption.id.hex), "proof_id": .string(redemption.proofID.hex),
            "previous_id": .string(redemption.previous.hex), "sequence": .integer(Int64(clamping: redemption.sequence)),
            "redeemer": redemption.redeemer.map { .string($0.bytes.hex) } ?? .null,
            "redeemed_at": .integer(Int64(clamping: redemption.redeemedAt)),
        ]
    }

    static func event(_ type: String, _ record: ProofRecord, at: Int64) -> NewEvent {
        NewEvent(
            type: type, at: at,
            data: EventPayloads.text([
                "proof_id": .string(record.proofID), "kind": .string(record.kind), "owner": .string(record.owner),
                "status": .string(record.status), "sequence": .integer(record.sequence),
            ]))
    }

    /// The verification result: every failed rule by name, the owner, the status, the disclosed fields, and
    /// whether the issuer is trusted.
    package static func verification(_ result: ValidationResult) -> JSONValue {
        [
            "valid": .bool(result.isValid), "proof_id": .string(result.proofID.hex),
            "failed_rules": .array(result.failedRules.map { .string($0.name) }),
            "failures": .array(
                result.failures.map { failure in
                    [
                        "rule": .string(failure.rule.name), "detail": .string(failure.detail),
                        "transition_index": failure.transitionIndex.map { .integer(Int64($0)) } ?? .null,
                    ]
                }),
            "owner": .string(result.owner.bytes.hex), "status": .string(result.status.rawValue),
            "issuer": .string(result.genesis.issuer.bytes.hex), "issuer_trusted": .bool(result.issuerTrusted),
            "kind": .string(result.genesis.kind.name), "sequence": .integer(Int64(result.tip.sequence)),
            "expires_at": result.genesis.terms.expiresAt.map { .integer(Int64(clamping: $0)) } ?? .null,
            "missing_attesters": .array(result.missingAttesters.map { .string($0.bytes.hex) }),
            "redemption": result.redemption.map { redemption($0.redemption) } ?? .null,
            "revoked_at": result.revocation.map { .integer(Int64(clamping: $0.revocation.revokedAt)) } ?? .null,
            "disclosed_fields": .object(JSONObject(result.disclosedFields.map { ($0.name, .string($0.value)) })),
        ]
    }

    /// `proof_invalid` with the list of failed rules.
    static func invalid(_ result: ValidationResult) -> DaemonError {
        DaemonError(
            "proof_invalid", "the proof does not validate: " + result.failedRules.map(\.name).joined(separator: ", "),
            data: ["failed_rules": .array(result.failedRules.map { .string($0.name) })])
    }

    /// Decodes a consignment given as a JSON object in params.
    package static func consignment(_ value: JSONValue) throws -> Consignment {
        guard case .object = value else { throw DaemonError.invalidParams("'consignment' must be a JSON object") }
        do {
            return try Consignment(json: Data(value.serialized()))
        } catch {
            throw DaemonError(
                "proof_invalid", "the consignment does not decode: \(error.detail)",
                data: ["failed_rules": .array([.string(error.code.name)])])
        }
    }
}
