import JSONRPC
import Store

/// Finds what an earlier `proof.create` or `proof.transfer` already wrote, so a repeat returns it and writes
/// nothing: by idempotency key (scoped per method, per store), by transition id (the second step of an external
/// owner's transfer), or the current state (a transfer to the current owner, or a repeat of the transfer that
/// waits for its payment).
struct ProofReplay: Sendable {
    let book: ProofBook
    /// `proof.create` or `proof.transfer`.
    let method: String
    let key: String?
    let fingerprint: String

    private var store: Store { book.store }

    /// The key record to store with the object `objectID` the call writes (`nil` without a key).
    func writeKey(objectID: String) -> WriteKey? {
        key.map {
            WriteKey(method: method, key: $0, fingerprint: fingerprint, objectID: objectID, createdAt: book.now())
        }
    }

    /// The proof an earlier `proof.create` with this key issued.
    func createdProof() async throws -> ProofRecord? {
        guard let stored = try await storedKey() else { return nil }
        let (record, _) = try await book.load(stored.objectID)
        guard stored.fingerprint == fingerprint else { throw conflict(existing: try await book.payload(record)) }
        return record
    }

    /// The answer of an earlier `proof.transfer` with this key: the transfer as it stands now, or the pending
    /// signature request of an external owner.
    func transfer(of record: ProofRecord) async throws -> JSONValue? {
        guard let stored = try await storedKey() else { return nil }
        let answer = try await transitionAnswer(stored.objectID, of: record)
        guard stored.fingerprint == fingerprint else { throw conflict(existing: answer) }
        return answer
    }

    /// Stores the key of a first step (the signature request `transitionID`); when a concurrent call stored it
    /// first, that call's answer.
    func remember(transitionID: String, of record: ProofRecord) async throws -> JSONValue? {
        guard let writeKey = writeKey(objectID: transitionID), let error = await failure(storing: writeKey) else {
            return nil
        }
        guard error.code == .idempotencyConflict, let replay = try await transfer(of: record) else { throw error }
        return replay
    }

    /// Stores `writeKey`; the store's error, if any.
    private func failure(storing writeKey: WriteKey) async -> StoreError? {
        do {
            try await store.rememberWriteKey(writeKey)
            return nil
        } catch {
            return error
        }
    }

    /// The answer of a second step already applied (its transition is stored and, unless `includingCanceled`,
    /// not canceled).
    func appliedTransition(_ transitionID: String, of record: ProofRecord, includingCanceled: Bool = false)
        async throws -> JSONValue?
    {
        let transitions = try await store.proofTransitions(proofID: record.proofID)
        guard
            let applied = transitions.first(where: {
                $0.transitionID == transitionID && (includingCanceled || $0.state != .canceled)
            })
        else { return nil }
        return try await book.transferAnswer(
            record, transitionID: applied.transitionID, invoice: try await book.invoice(boundTo: applied.paymentHash))
    }

    /// The proof as it stands, when a transfer to `newOwner` changes nothing: `newOwner` owns it already, or
    /// the transfer waiting for its payment goes to `newOwner` (a repeat of that transfer). With the last live
    /// transition and the invoice that binds it.
    func unchanged(by newOwner: String, of record: ProofRecord) async throws -> JSONValue? {
        let last = try await store.proofTransitions(proofID: record.proofID).last { $0.state != .canceled }
        let waitsForNewOwner =
            record.status == "transfer_pending" && last?.state == .pending && last?.newOwner == newOwner
        guard record.owner == newOwner || waitsForNewOwner else { return nil }
        return try await book.transferAnswer(
            record, transitionID: last?.transitionID, invoice: try await book.invoice(boundTo: last?.paymentHash))
    }

    /// Whether a write failed only because a concurrent call stored the same key first.
    static func lostKeyRace<T>(_ written: Result<T, any Error>) -> Bool {
        guard case .failure(let error as StoreError) = written else { return false }
        return error.code == .idempotencyConflict
    }

    private func storedKey() async throws -> WriteKey? {
        guard let key else { return nil }
        return try await store.writeKey(method: method, key: key)
    }

    /// The answer for the object `objectID` names: an applied transition, or a signature request.
    private func transitionAnswer(_ transitionID: String, of record: ProofRecord) async throws -> JSONValue {
        // A transfer whose invoice expired (canceled) is still the answer the key names: the proof as it stands.
        if let applied = try await appliedTransition(transitionID, of: record, includingCanceled: true) {
            return applied
        }
        guard let request = try await store.signingRequest(transitionID: transitionID),
            case .object(var answer) = try JSONValue.parse(Array(request.request.utf8))
        else { throw DaemonError("transition_not_found", "the transfer stored under this key is gone") }
        for field in ["to", "payment_hash", "created_at"] { _ = answer.removeValue(forKey: field) }
        return .object(answer)
    }

    /// `idempotency_conflict` for a key stored with other parameters, the stored object in `data.existing`.
    private func conflict(existing: JSONValue) -> DaemonError {
        DaemonError(
            "idempotency_conflict", "the idempotency key was used for another \(method) request",
            data: ["existing": existing])
    }
}
