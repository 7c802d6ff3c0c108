import Foundation
import JSONRPC
import Proofs
import Secp256k1
import Store

/// Redemption and revocation of stored proofs (docs/proofs.md, "Redemption", "Revocation").
///
/// Each is one compare-and-swap write of the proof row (its status changes, so a racing transfer, redemption
/// or revocation of the same proof fails instead of both succeeding) with its event in the same transaction:
/// a crash before the write leaves the proof as it was, after it the step is done, never half-done or twice.
extension ProofBook {
    /// Redeems a proof, co-signed by `redeemer` when one is named. Keys this daemon holds (the owner's, the
    /// redeemer's) sign at once; when the owner or the redeemer keeps its own key, the first call returns the
    /// redemption to sign (`signature_required`, its `sighash` and the `signers` still missing) and a second
    /// call (`redemptionID`) brings `ownerSignature` and/or `redeemerSignature`.
    package func redeem(
        proofID: String, redeemer redeemerText: String?, redemptionID: String?, ownerSignature: [UInt8]?,
        redeemerSignature: [UInt8]?
    ) async throws -> JSONValue {
        let (record, proof) = try await load(proofID)
        try proofStep { try proof.checkCanMove() }
        let ownerKey = try await signingKey(for: proof.owner)
        let redemption: Redemption
        if let redemptionID, ownerSignature != nil || redeemerSignature != nil {
            redemption = try await pendingRedemption(redemptionID, of: proof, record: record)
        } else {
            var redeemer: XOnlyPublicKey?
            if let redeemerText { redeemer = try await owner(redeemerText).key }
            redemption = try proofStep { try proof.makeRedemption(redeemer: redeemer, redeemedAt: UInt64(now())) }
            var external = ownerKey == nil ? ["owner"] : []
            if let redeemer, try await signingKey(for: redeemer) == nil { external.append("redeemer") }
            if !external.isEmpty {
                return try await signaturesRequired(redemption, proofID: record.proofID, signers: external)
            }
        }
        let ownerSigned = ownerKey?.signSchnorr(message: redemption.sighash)
        guard let ownerSigned = try ownerSigned ?? Self.schnorr(ownerSignature, "owner_signature") else {
            throw DaemonError.invalidParams("'owner_signature' is required: the owner keeps its own key")
        }
        var cosignature: SchnorrSignature?
        if let redeemer = redemption.redeemer {
            let redeemerKey = try await signingKey(for: redeemer)
            cosignature =
                try redeemerKey?.signSchnorr(message: redemption.sighash)
                ?? Self.schnorr(redeemerSignature, "redeemer_signature")
            guard cosignature != nil else {
                throw DaemonError.invalidParams("'redeemer_signature' is required: the redeemer keeps its own key")
            }
        }
        var redeemed = proof
        try proofStep {
            try redeemed.redeem(redemption, ownerSignature: ownerSigned, redeemerSignature: cosignature)
        }
        let updated = try await writeLifecycle(redeemed, replacing: record, event: "proof.redeemed")
        logger.info("proof redeemed", metadata: ["proof_id": "\(record.proofID)"])
        return [
            "proof": ProofPayloads.proof(updated, account: try await store.account(forKey: updated.owner)),
            "redemption_id": .string(redemption.id.hex),
        ]
    }

    /// The BIP340 signature in `bytes` (param `name`), if given.
    private static func schnorr(_ bytes: [UInt8]?, _ name: String) throws -> SchnorrSignature? {
        try bytes.map { bytes in
            guard let signature = try? SchnorrSignature(bytes: bytes) else {
                throw DaemonError.invalidParams("'\(name)' must be 64 bytes of hex")
            }
            return signature
        }
    }

    /// Revokes a proof this daemon issued with `revocable`.
    package func revoke(proofID: String) async throws -> JSONValue {
        let (record, proof) = try await load(proofID)
        guard proof.genesis.issuer == identity.xOnlyPublicKey else {
            throw DaemonError("not_revocable", "only the issuer revokes a proof, and this daemon did not issue it")
        }
        var revoked = proof
        try proofStep {
            let revocation = try proof.makeRevocation(revokedAt: UInt64(now()))
            try revoked.revoke(revocation, signature: identity.signSchnorr(message: revocation.id.bytes))
        }
        let updated = try await writeLifecycle(revoked, replacing: record, event: "proof.revoked")
        logger.info("proof revoked", metadata: ["proof_id": "\(record.proofID)"])
        return ["proof": ProofPayloads.proof(updated, account: try await store.account(forKey: updated.owner))]
    }

    /// Whether an incoming consignment of a stored proof carries anything the stored one lacks: more
    /// transitions, attestations, a redemption or a revocation.
    static func adds(_ consignment: Consignment, to held: Proof) -> Bool {
        consignment.transitions.count > held.transitions.count
            || consignment.attestations.count > held.attestations.count
            || (consignment.redemption != nil && held.redemption == nil)
            || (consignment.revocation != nil && held.revocation == nil)
    }

    /// Writes `proof` over `record` (compare-and-swap on its status and sequence) with the event `type`.
    private func writeLifecycle(_ proof: Proof, replacing record: ProofRecord, event type: String) async throws
        -> ProofRecord
    {
        let updated = try makeRecord(proof, origin: record.origin, createdAt: record.createdAt)
        FaultInjection.hit(FaultInjection.beforeLifecycleWrite)
        let event = try await write(
            ProofChange(
                record: updated, expected: (record.status, record.sequence),
                event: ProofPayloads.event(type, updated, at: now())))
        FaultInjection.hit(FaultInjection.afterLifecycleWrite)
        await publish(event)
        return updated
    }

    /// Keeps the redemption that external keys (`signers`: `owner`, `redeemer`) must sign and returns what to
    /// sign.
    private func signaturesRequired(_ redemption: Redemption, proofID: String, signers: [String]) async throws
        -> JSONValue
    {
        try await store.saveSigningRequest(
            transitionID: redemption.id.hex, proofID: proofID,
            request: EventPayloads.text([
                "redeemer": redemption.redeemer.map { .string($0.bytes.hex) } ?? .null,
                "redeemed_at": .integer(Int64(redemption.redeemedAt)),
            ]), at: now())
        return [
            "status": "signature_required", "redemption_id": .string(redemption.id.hex),
            "sighash": .string(redemption.sighash.hex), "redemption": ProofPayloads.redemption(redemption),
            "signers": .array(signers.map(JSONValue.string)),
        ]
    }

    /// The redemption saved by the first call for external keys, rebuilt on the current chain.
    private func pendingRedemption(_ redemptionID: String, of proof: Proof, record: ProofRecord) async throws
        -> Redemption
    {
        guard let request = try await store.signingRequest(transitionID: redemptionID.lowercased()),
            request.proofID == record.proofID,
            let fields = try? JSONValue.parse(Array(request.request.utf8)),
            let redeemedAt = fields["redeemed_at"]?.int64Value
        else { throw DaemonError("transition_not_found", "no redemption waits for a signature with this id") }
        let redeemer = fields["redeemer"]?.stringValue.flatMap({ [UInt8](hex: $0) })
            .flatMap({ try? XOnlyPublicKey(bytes: $0) })
        let redemption = try proofStep { try proof.makeRedemption(redeemer: redeemer, redeemedAt: UInt64(redeemedAt)) }
        guard redemption.id.hex == redemptionID.lowercased() else {
            throw DaemonError("transition_not_found", "the proof changed since the redemption was made")
        }
        return redemption
    }
}

extension ProofBook {
    /// Adds the attestation of `attesterText` (a genesis attester). A key the daemon holds signs at once; an
    /// external attester signs in a second call (`attestationID` + `signature`). The last missing attestation
    /// emits `proof.completed`, the others `proof.attested`.
    package func attest(proofID: String, attester attesterText: String, attestationID: String?, signature: [UInt8]?)
        async throws -> JSONValue
    {
        let attester = try await owner(attesterText).key
        return try await ProofLocks.shared.serialize(proofID) {
            let (record, proof) = try await load(proofID)
            let attestation: Attestation
            let schnorr: SchnorrSignature
            if let attestationID, let signature {
                attestation = try await pendingAttestation(attestationID, by: attester, of: proof, record: record)
                guard let parsed = try? SchnorrSignature(bytes: signature) else {
                    throw DaemonError.invalidParams("'signature' must be 64 bytes of hex")
                }
                schnorr = parsed
            } else {
                attestation = try proofStep { try proof.makeAttestation(by: attester, attestedAt: UInt64(now())) }
                guard let key = try await signingKey(for: attester) else {
                    try await store.saveSigningRequest(
                        transitionID: attestation.id.hex, proofID: record.proofID,
                        request: EventPayloads.text(["attested_at": .integer(Int64(attestation.attestedAt))]),
                        at: now())
                    return [
                        "status": "signature_required", "attestation_id": .string(attestation.id.hex),
                        "sighash": .string(attestation.sighash.hex),
                    ]
                }
                schnorr = key.signSchnorr(message: attestation.sighash)
            }
            var attested = proof
            try proofStep { try attested.attest(attestation, signature: schnorr) }
            let event = attested.missingAttesters.isEmpty ? "proof.completed" : "proof.attested"
            let updated = try await writeLifecycle(attested, replacing: record, event: event)
            return [
                "proof": ProofPayloads.proof(updated, account: try await store.account(forKey: updated.owner)),
                "attestation_id": .string(attestation.id.hex),
                "missing_attesters": .array(attested.missingAttesters.map { .string($0.bytes.hex) }),
            ]
        }
    }

    /// The attestation saved by the first call of an external attester.
    private func pendingAttestation(
        _ attestationID: String, by attester: XOnlyPublicKey, of proof: Proof, record: ProofRecord
    ) async throws -> Attestation {
        guard let request = try await store.signingRequest(transitionID: attestationID.lowercased()),
            request.proofID == record.proofID,
            let fields = try? JSONValue.parse(Array(request.request.utf8)),
            let attestedAt = fields["attested_at"]?.int64Value
        else { throw DaemonError("transition_not_found", "no attestation waits for a signature with this id") }
        let attestation = try proofStep {
            try proof.makeAttestation(by: attester, attestedAt: UInt64(attestedAt))
        }
        guard attestation.id.hex == attestationID.lowercased() else {
            throw DaemonError("transition_not_found", "this attestation is not the attester's")
        }
        return attestation
    }
}

/// Serializes the attestations of one proof inside this process: two attestations leave the proof's status
/// and sequence alike, so the store's compare-and-swap alone would not stop the second from overwriting the
/// first.
actor ProofLocks {
    static let shared = ProofLocks()
    private var busy: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    func serialize<T: Sendable>(_ proofID: String, _ body: @Sendable () async throws -> T) async throws -> T {
        let key = proofID.lowercased()
        while busy.contains(key) {
            await withCheckedContinuation { waiters[key, default: []].append($0) }
        }
        busy.insert(key)
        defer {
            busy.remove(key)
            if let next = waiters[key]?.first {
                waiters[key]?.removeFirst()
                if waiters[key]?.isEmpty == true { waiters[key] = nil }
                next.resume()
            }
        }
        return try await body()
    }
}
