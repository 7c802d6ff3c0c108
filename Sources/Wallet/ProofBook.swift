import Foundation
import JSONRPC
import Lightning
import Logging
import Proofs
import Secp256k1
import Store

/// Issues, transfers, verifies, exports and imports proof contracts held in the store.
///
/// A proof's stored document is its consignment with every field the daemon knows; each change rebuilds the
/// proof from it, applies one step of the `Proofs` model (which enforces the rules), and writes the new
/// document, the transition row and the event in one transaction, guarded by compare-and-swap on the
/// proof's (status, sequence). The store's single-use index makes a second transition from one state
/// impossible even across racing calls.
package struct ProofBook: Sendable {
    /// The invoice terms of a transfer bound to a payment.
    package struct PaymentTerms: Sendable {
        let amount: MilliSatoshi
        let description: String
        let expirySeconds: Int64

        /// Creates the terms of a transfer's invoice.
        package init(amount: MilliSatoshi, description: String, expirySeconds: Int64) {
            self.amount = amount
            self.description = description
            self.expirySeconds = expirySeconds
        }
    }

    let store: Store
    let keys: KeyDerivation
    let identity: PrivateKey
    let network: ProofNetwork
    let trustedIssuers: Set<XOnlyPublicKey>
    let invoices: InvoiceBook
    let events: EventBus
    let now: @Sendable () -> Int64
    let logger: Logger

    /// Creates the proof book over `store`, signing with keys derived from `keys`.
    package init(
        store: Store, keys: KeyDerivation, identity: PrivateKey, network: ProofNetwork,
        trustedIssuers: Set<XOnlyPublicKey>, invoices: InvoiceBook, events: EventBus,
        now: @escaping @Sendable () -> Int64, logger: Logger
    ) {
        self.store = store
        self.keys = keys
        self.identity = identity
        self.network = network
        self.trustedIssuers = trustedIssuers
        self.invoices = invoices
        self.events = events
        self.now = now
        self.logger = logger
    }

    // MARK: Owners

    /// A proof owner named by a caller: `account:<id>` (a key the daemon derives and holds) or an x-only key.
    ///
    /// With `remember`, a derived account key is recorded so that the daemon later recognizes (and signs
    /// for) proofs owned by it; a read passes `false` and only derives, leaving the store unchanged.
    package func owner(_ text: String, remember: Bool = true) async throws -> (key: XOnlyPublicKey, account: String?) {
        if text.hasPrefix("account:") {
            let account = String(text.dropFirst("account:".count))
            let key: PrivateKey
            do {
                key = try keys.accountKey(accountID: account)
            } catch {
                throw DaemonError.invalidParams("'\(text)' is not a valid account reference: \(error.detail)")
            }
            let pubkey = key.xOnlyPublicKey
            if remember {
                try await store.rememberAccountKey(pubkey: pubkey.bytes.hex, accountID: account)
            }
            return (pubkey, account)
        }
        guard let bytes = [UInt8](hex: text.lowercased()), let key = try? XOnlyPublicKey(bytes: bytes) else {
            throw DaemonError.invalidParams("an owner is 'account:<id>' or a 32-byte x-only public key in hex")
        }
        return (key, try await store.account(forKey: key.bytes.hex))
    }

    /// The daemon-held key of `owner`, or `nil` for an external owner.
    func signingKey(for owner: XOnlyPublicKey) async throws -> PrivateKey? {
        guard let account = try await store.account(forKey: owner.bytes.hex) else { return nil }
        return try keys.accountKey(accountID: account)
    }

    // MARK: Issue

    /// Issues a proof. With `idempotencyKey`, a repeat returns the proof the first call issued (a replay) and
    /// other parameters under the key are `idempotency_conflict`.
    package func create(
        kind: String, fields: [(String, String)], owner ownerText: String, terms: LifecycleTerms = .none,
        idempotencyKey: String?
    ) async throws -> WriteOutcome<ProofRecord> {
        let termsText =
            [
                terms.expiresAt.map { "\($0)" } ?? "-", terms.revocable ? "revocable" : "-",
            ] + terms.attesters.map { $0.bytes.hex }
        let fingerprint = RequestFingerprint.of(
            [kind, ownerText] + fields.sorted { $0.0 < $1.0 }.flatMap { [$0.0, $0.1] } + termsText)
        let replays = ProofReplay(book: self, method: "proof.create", key: idempotencyKey, fingerprint: fingerprint)
        if let replay = try await replays.createdProof() { return .replay(replay) }
        let owner = try await owner(ownerText)
        let proof: Proof
        do {
            proof = try Proof.issue(
                kind: ProofKind(kind), fields: fields.map { try Field(name: $0.0, value: $0.1) }, owner: owner.key,
                issuer: identity, network: network, issuedAt: UInt64(now()), terms: terms)
        } catch let error as ProofError {
            throw DaemonError.invalidParams("cannot issue the proof: \(error.detail)")
        }
        let record = try makeRecord(proof, origin: .issued, createdAt: now())
        let change = ProofChange(
            record: record, expected: nil, fields: proof.fields.map { ($0.field.name, $0.field.value, $0.salt.hex) },
            event: ProofPayloads.event("proof.created", record, at: now()),
            writeKey: replays.writeKey(objectID: record.proofID))
        let written: Result<EventRecord?, any Error>
        do {
            written = .success(try await write(change))
        } catch {
            written = .failure(error)
        }
        // A concurrent call with this key stored its proof first: this one wrote nothing and answers that proof.
        if ProofReplay.lostKeyRace(written), let replay = try await replays.createdProof() { return .replay(replay) }
        await publish(try written.get())
        logger.info("proof created", metadata: ["proof_id": "\(record.proofID)", "kind": "\(kind)"])
        return .firstCall(record)
    }

    // MARK: Transfer

    /// Moves a proof to `to`. With `payment`, the daemon creates the invoice whose hash binds the transition;
    /// the transfer completes by itself when that invoice is paid. An external owner signs in a second call
    /// (`transitionID` + `signature`); the invoice of a payment-bound transfer is handed out only in the answer
    /// to that second call, once the signature is checked and the pending transition stored, so nobody can pay
    /// for a transfer that cannot complete.
    ///
    /// Replays: a repeat under `idempotencyKey`, a second step already applied, and a transfer to the proof's
    /// current owner return the current state and add no transition.
    package func transfer(
        proofID: String, to: String, payment: PaymentTerms?, transitionID: String?, signature: [UInt8]?,
        idempotencyKey: String?
    ) async throws -> WriteOutcome<JSONValue> {
        let (record, proof) = try await load(proofID)
        let fingerprint = RequestFingerprint.of(
            [proofID, to, payment.map { "\($0.amount.rawValue) \($0.expirySeconds) \($0.description)" } ?? "-"])
        let replays = ProofReplay(book: self, method: "proof.transfer", key: idempotencyKey, fingerprint: fingerprint)
        if let transitionID, let signature {
            if let applied = try await replays.appliedTransition(transitionID, of: record) { return .replay(applied) }
            try await requireMovable(record, proof)
            let newOwner = try await owner(to)
            return .firstCall(
                try await completeExternalTransfer(
                    record: record, proof: proof, newOwner: newOwner.key, transitionID: transitionID,
                    signature: signature))
        }
        if let replay = try await replays.transfer(of: record) { return .replay(replay) }
        let newOwner = try await owner(to)
        if let unchanged = try await replays.unchanged(by: newOwner.key.bytes.hex, of: record) {
            return .replay(unchanged)
        }
        try await requireMovable(record, proof)
        let ownerKey = try await signingKey(for: proof.owner)
        var invoice: InvoiceRecord?
        if let payment {
            invoice = try await invoices.create(
                InvoiceBook.CreateRequest(
                    amount: payment.amount, description: payment.description, descriptionHash: nil,
                    expirySeconds: payment.expirySeconds, label: nil, metadata: "{\"proof_id\":\"\(proofID)\"}")
            ).value
            FaultInjection.hit(FaultInjection.afterTransferInvoice)
        }
        let transition = try proofStep {
            try proof.makeTransition(
                to: newOwner.key, paymentHash: try invoice.map { try Hash256(bytes: $0.paymentHash.bytes) },
                createdAt: UInt64(now()))
        }
        guard let ownerKey else {
            let answer: JSONObject = [
                "status": "signature_required", "transition_id": .string(transition.id.hex),
                "sighash": .string(transition.sighash.hex), "transition": ProofPayloads.transition(transition),
            ]
            var request = answer
            request["to"] = .string(to)
            request["payment_hash"] = invoice.map { .string($0.paymentHash.hex) } ?? .null
            request["created_at"] = .integer(Int64(transition.createdAt))
            try await store.saveSigningRequest(
                transitionID: transition.id.hex, proofID: proofID, request: EventPayloads.text(request), at: now())
            if let replay = try await replays.remember(transitionID: transition.id.hex, of: record) {
                return .replay(replay)
            }
            return .firstCall(.object(answer))
        }
        let signature = ownerKey.signSchnorr(message: transition.sighash)
        let appended: Result<ProofRecord, any Error>
        do {
            appended = .success(
                try await append(
                    transition, signature: signature, to: proof, record: record,
                    writeKey: replays.writeKey(objectID: transition.id.hex)))
        } catch {
            appended = .failure(error)
        }
        if ProofReplay.lostKeyRace(appended), let replay = try await replays.transfer(of: record) {
            return .replay(replay)
        }
        return .firstCall(
            try await transferAnswer(try appended.get(), transitionID: transition.id.hex, invoice: invoice))
    }

    /// The answer of an applied transfer: the proof, the transition and the invoice that binds it, if any.
    func transferAnswer(_ updated: ProofRecord, transitionID: String?, invoice: InvoiceRecord?) async throws
        -> JSONValue
    {
        [
            "proof": try await payload(updated), "transition_id": transitionID.map(JSONValue.string) ?? .null,
            "invoice": invoice.map { .object(EventPayloads.invoice($0)) } ?? .null,
        ]
    }

    /// The invoice whose payment hash binds a transition, if any.
    func invoice(boundTo paymentHash: String?) async throws -> InvoiceRecord? {
        guard let hash = paymentHash.flatMap(PaymentHash.init(hex:)) else { return nil }
        return try await store.invoice(paymentHash: hash)
    }

    /// The proof as `proof.get` returns it.
    package func payload(_ record: ProofRecord) async throws -> JSONValue {
        ProofPayloads.proof(record, account: try await store.account(forKey: record.owner))
    }

    /// Refuses to start a transfer while the last one waits for its payment (`transfer_pending`, the proof in
    /// `data.existing`).
    /// Refuses to move a proof whose last transfer waits for its payment (`transfer_pending`, with the proof in
    /// `data.existing`), or that was redeemed or revoked.
    private func requireMovable(_ record: ProofRecord, _ proof: Proof) async throws {
        guard record.status != "transfer_pending" else {
            throw DaemonError(
                "transfer_pending", "the proof's last transfer waits for its payment",
                data: ["existing": try await payload(record)])
        }
        try proofStep { try proof.checkCanMove() }
    }

    private func completeExternalTransfer(
        record: ProofRecord, proof: Proof, newOwner: XOnlyPublicKey, transitionID: String, signature: [UInt8]
    ) async throws -> JSONValue {
        guard let request = try await store.signingRequest(transitionID: transitionID),
            request.proofID == record.proofID,
            let fields = try? JSONValue.parse(Array(request.request.utf8)),
            let createdAt = fields["created_at"]?.int64Value
        else { throw DaemonError("transition_not_found", "no transfer waits for a signature with this transition_id") }
        let paymentHash = try fields["payment_hash"]?.stringValue.map { try Hash256(hex: $0) }
        let transition = try proofStep {
            try proof.makeTransition(to: newOwner, paymentHash: paymentHash, createdAt: UInt64(createdAt))
        }
        guard transition.id.hex == transitionID else {
            throw DaemonError(
                "transition_not_found", "the proof or the new owner changed since the transition was made")
        }
        guard let schnorr = try? SchnorrSignature(bytes: signature) else {
            throw DaemonError.invalidParams("'signature' must be 64 bytes of hex")
        }
        let updated = try await append(transition, signature: schnorr, to: proof, record: record)
        return try await transferAnswer(
            updated, transitionID: transitionID, invoice: try await invoice(boundTo: transition.paymentHash?.hex))
    }

    private func append(
        _ transition: Transition, signature: SchnorrSignature, to proof: Proof, record: ProofRecord,
        writeKey: WriteKey? = nil
    ) async throws -> ProofRecord {
        var proof = proof
        try proofStep { try proof.append(transition, signature: signature) }
        let pending = transition.paymentHash != nil
        let updated = try makeRecord(proof, origin: record.origin, createdAt: record.createdAt)
        let event = try await writeNamingConflicts(
            ProofChange(
                record: updated, expected: (record.status, record.sequence),
                transitions: [transitionRecord(transition, state: pending ? .pending : .final)],
                event: ProofPayloads.event(
                    pending ? "proof.transfer_pending" : "proof.transferred", updated, at: now()),
                writeKey: writeKey))
        FaultInjection.hit(FaultInjection.afterTransition)
        await publish(event)
        return updated
    }

    // MARK: Payment-bound completion

    /// Completes every pending transfer whose invoice is paid (with its preimage) and cancels those whose
    /// invoice expired or was canceled. Idempotent: safe after a crash, at start-up and on every event.
    func settlePendingTransfers() async {
        do {
            for (transition, invoiceStatus) in try await store.pendingPaymentTransitions() {
                switch invoiceStatus {
                case "paid": try await completePaid(transition)
                case "expired", "canceled": try await cancelUnpaid(transition)
                default: continue
                }
            }
        } catch {
            // A stop interrupts the store call: nothing failed, the next start settles what is left.
            guard !Task.isCancelled else { return }
            logger.error("pending proof transfers could not be settled yet", metadata: ["error": "\(error)"])
        }
    }

    private func completePaid(_ pending: ProofTransitionRecord) async throws {
        guard let hash = pending.paymentHash.flatMap(PaymentHash.init(hex:)),
            let invoice = try await store.invoice(paymentHash: hash), let preimage = invoice.preimage
        else { return }
        var (record, proof) = try await load(pending.proofID)
        try proofStep { try proof.attachPreimage(try Proofs.Preimage(bytes: preimage.bytes)) }
        let updated = try makeRecord(proof, origin: record.origin, createdAt: record.createdAt)
        var final = pending
        final.state = .final
        let event = try await write(
            ProofChange(
                record: updated, expected: (record.status, record.sequence), transitions: [final],
                event: ProofPayloads.event("proof.transferred", updated, at: now())))
        record = updated
        await publish(event)
        logger.info("proof transfer completed by payment", metadata: ["proof_id": "\(record.proofID)"])
    }

    private func cancelUnpaid(_ pending: ProofTransitionRecord) async throws {
        var (record, proof) = try await load(pending.proofID)
        _ = try proofStep { try proof.cancelPendingTransfer() }
        let updated = try makeRecord(proof, origin: record.origin, createdAt: record.createdAt)
        var canceled = pending
        canceled.state = .canceled
        let event = try await write(
            ProofChange(
                record: updated, expected: (record.status, record.sequence), transitions: [canceled],
                event: ProofPayloads.event("proof.transfer_canceled", updated, at: now())))
        record = updated
        await publish(event)
    }

    // MARK: Verify, export, import

    package func validator() -> ProofValidator { ProofValidator(trustedIssuers: trustedIssuers, network: network) }

    package func export(proofID: String, disclose: [String]?) async throws -> Consignment {
        let (_, proof) = try await load(proofID)
        return try proofStep { try proof.export(disclosing: disclose) }
    }

    /// Stores a received consignment; one that adds nothing to the stored chain is a replay (nothing written).
    package func importConsignment(_ consignment: Consignment) async throws -> (
        ProofRecord, ValidationResult, replayed: Bool
    ) {
        let result = validator().validate(consignment)
        guard result.isValid else { throw ProofPayloads.invalid(result) }
        let proofID = consignment.genesis.id.hex
        let stored = try await store.proof(id: proofID)
        if let stored {
            let (_, held) = try await load(proofID)
            let conflicts = ProofValidator.conflicts(stored: try held.export().spends, incoming: consignment.spends)
            guard conflicts.isEmpty else {
                throw DaemonError(
                    "double_transfer", "the consignment spends a state the stored chain spends differently",
                    data: ["failed_rules": ["double_transfer"]])
            }
            guard Self.adds(consignment, to: held) else { return (stored, result, true) }
        }
        let proof = Proof(consignment)
        let record = try makeRecord(proof, origin: stored?.origin ?? .imported, createdAt: stored?.createdAt ?? now())
        let event = try await write(
            ProofChange(
                record: record, expected: stored.map { ($0.status, $0.sequence) },
                fields: proof.fields.map { ($0.field.name, $0.field.value, $0.salt.hex) },
                transitions: proof.transitions.map {
                    transitionRecord($0.transition, state: $0.isFinal ? .final : .pending)
                },
                receivedConsignment: String(decoding: consignment.json(), as: UTF8.self),
                event: ProofPayloads.event("proof.imported", record, at: now()),
                formerOwners: [proof.genesis.owner.bytes.hex]))
        await publish(event)
        return (record, result, false)
    }

    // MARK: Helpers

    package func load(_ proofID: String) async throws -> (ProofRecord, Proof) {
        guard let record = try await store.proof(id: proofID.lowercased()) else {
            throw DaemonError("proof_not_found", "no proof with this id")
        }
        let consignment = try proofStep { try Consignment(json: Data(record.document.utf8)) }
        return (record, Proof(consignment))
    }

    func makeRecord(_ proof: Proof, origin: ProofRecord.Origin, createdAt: Int64) throws -> ProofRecord {
        let document = try proofStep { try proof.export() }
        return ProofRecord(
            proofID: proof.id.hex, kind: proof.genesis.kind.name, issuer: proof.genesis.issuer.bytes.hex,
            owner: proof.owner.bytes.hex, status: proof.status.rawValue, sequence: Int64(proof.transitions.count),
            origin: origin, document: String(decoding: document.json(), as: UTF8.self), createdAt: createdAt,
            updatedAt: now(), issuedAt: Int64(clamping: proof.genesis.issuedAt))
    }

    private func transitionRecord(_ transition: Transition, state: ProofTransitionRecord.State) -> ProofTransitionRecord
    {
        ProofTransitionRecord(
            transitionID: transition.id.hex, proofID: transition.proofID.hex, previousID: transition.previous.hex,
            sequence: Int64(transition.sequence), newOwner: transition.newOwner.bytes.hex,
            paymentHash: transition.paymentHash?.hex, createdAt: Int64(transition.createdAt), state: state)
    }

    func write(_ change: ProofChange) async throws -> EventRecord? {
        do {
            return try await store.applyProofChange(change)
        } catch let error where error.code == .doubleTransfer {
            throw DaemonError("double_transfer", "this proof state was already transferred")
        } catch let error where error.code == .staleProof {
            throw DaemonError("transfer_pending", "the proof changed meanwhile; read it and retry")
        }
    }

    /// `write`, with the proof as it stands in `data.existing` of a `transfer_pending` (a concurrent change won).
    private func writeNamingConflicts(_ change: ProofChange) async throws -> EventRecord? {
        let written: Result<EventRecord?, any Error>
        do {
            written = .success(try await write(change))
        } catch {
            written = .failure(error)
        }
        guard case .failure(let error as DaemonError) = written, error.reason == "transfer_pending",
            let current = try await store.proof(id: change.record.proofID)
        else { return try written.get() }
        throw DaemonError(error.reason, error.message, data: ["existing": try await payload(current)])
    }

    func publish(_ event: EventRecord?) async {
        if let event { await events.published(upTo: event.index) }
    }

    /// Runs a step of the proof model, turning its errors into RPC errors.
    func proofStep<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ProofError {
            switch error.code {
            case .transferPending: throw DaemonError("transfer_pending", error.detail)
            case .doubleTransfer: throw DaemonError("double_transfer", error.detail)
            case .proofRevoked, .alreadyRevoked: throw DaemonError("proof_revoked", error.detail)
            case .notRevocable: throw DaemonError("not_revocable", error.detail)
            case .notAnAttester, .alreadyAttested: throw DaemonError("not_attester", error.detail)
            case .invalidSignature:
                throw DaemonError(
                    "invalid_proof_signature", "the signature is not the current owner's over the sighash")
            case .unknownField: throw DaemonError.invalidParams(error.detail)
            default:
                throw DaemonError(
                    "proof_invalid", error.detail, data: ["failed_rules": .array([.string(error.code.name)])])
            }
        }
    }
}
