import Secp256k1

/// A proof as its holder keeps it: the genesis, the issuer's signature, the salted fields the holder
/// knows, and the chain of transitions. The builders issue, transfer and export it.
///
/// The builders keep the chain valid (they throw rather than append a transition that does not extend it
/// or is not signed by the owner); a `Proof` assembled with the memberwise initializer is trusted as given.
public struct Proof: Hashable, Sendable {
    /// The genesis.
    public let genesis: Genesis
    /// The issuer's BIP340 signature of the proof id.
    public let issuerSignature: SchnorrSignature
    /// The fields the holder can disclose, with their salts (all of them for the issuer).
    public let fields: [SaltedField]
    /// The transitions, oldest first.
    public private(set) var transitions: [SignedTransition]
    /// The attestations given so far, in the order given.
    public internal(set) var attestations: [SignedAttestation]
    /// The redemption that ended the proof, if any.
    public internal(set) var redemption: SignedRedemption?
    /// The issuer's revocation, if any.
    public internal(set) var revocation: SignedRevocation?

    /// Assembles a proof from stored parts; checks nothing.
    public init(
        genesis: Genesis, issuerSignature: SchnorrSignature, fields: [SaltedField], transitions: [SignedTransition],
        attestations: [SignedAttestation] = [], redemption: SignedRedemption? = nil,
        revocation: SignedRevocation? = nil
    ) {
        self.genesis = genesis
        self.issuerSignature = issuerSignature
        self.fields = fields
        self.transitions = transitions
        self.attestations = attestations
        self.redemption = redemption
        self.revocation = revocation
    }

    /// The proof a consignment carries, with its disclosed fields; validate the consignment first.
    public init(_ consignment: Consignment) {
        self.init(
            genesis: consignment.genesis, issuerSignature: consignment.issuerSignature,
            fields: consignment.disclosedFields, transitions: consignment.transitions,
            attestations: consignment.attestations, redemption: consignment.redemption,
            revocation: consignment.revocation)
    }

    /// Issues a new proof: salts every field, builds the genesis and signs its id with `issuer`.
    ///
    /// - Parameters:
    ///   - fields: the statements, in the order they are shown; names must be unique.
    ///   - issuedAt: Unix seconds.
    ///   - terms: expiry, revocability and attesters; any of them makes a version 2 genesis.
    ///   - randomness: the source of salts and signing randomness; ``Randomness/system`` outside tests.
    /// - Throws: `duplicate_field`, `too_many_fields`, `invalid_randomness`.
    public static func issue(
        kind: ProofKind, fields: [Field], owner: XOnlyPublicKey, issuer: PrivateKey, network: ProofNetwork,
        issuedAt: UInt64, terms: LifecycleTerms = .none, randomness: Randomness = .system
    ) throws(ProofError) -> Proof {
        guard fields.count <= Field.maximumCount else {
            throw ProofError(.tooManyFields, "at most \(Field.maximumCount) fields")
        }
        var names = Set<String>()
        var salted = [SaltedField]()
        for field in fields {
            guard names.insert(field.name).inserted else {
                throw ProofError(.duplicateField, "field \(field.name) given twice")
            }
            salted.append(try SaltedField(field, salt: randomness.bytes(for: .salt(field: field.name))))
        }
        let genesis = try Genesis(
            kind: kind, network: network, issuer: issuer.xOnlyPublicKey, issuedAt: issuedAt,
            fieldCommitments: salted.map(\.commitment).sorted(), owner: owner, terms: terms)
        let signature = issuer.signSchnorr(
            message: genesis.id.bytes, auxiliaryRandomness: try randomness.bytes(for: .auxiliary))
        return Proof(genesis: genesis, issuerSignature: signature, fields: salted, transitions: [])
    }

    /// The proof id.
    public var id: ProofID { genesis.id }

    /// The status without regard to time (never `expired`), by the precedence of ``ProofStatus``.
    public var status: ProofStatus { status(at: nil) }

    /// The status at `now` (Unix seconds), by the precedence of ``ProofStatus``; `nil` never reports `expired`.
    public func status(at now: UInt64?) -> ProofStatus {
        ProofStatus.of(
            revoked: revocation != nil, redeemed: redemption != nil, expired: genesis.terms.isExpired(at: now),
            transferPending: pendingTransition != nil, incomplete: !missingAttesters.isEmpty)
    }

    /// The current owner: the last final transition's new owner (the genesis owner before any).
    public var owner: XOnlyPublicKey {
        guard let last = transitions.last else { return genesis.owner }
        if last.isFinal { return last.transition.newOwner }
        return transitions.dropLast().last?.transition.newOwner ?? genesis.owner
    }

    /// The transfer waiting for its payment preimage, if any.
    public var pendingTransition: SignedTransition? {
        transitions.last.flatMap { $0.isFinal ? nil : $0 }
    }

    /// Where the chain ends: the state the next transition spends.
    public var tip: ChainTip {
        guard let last = transitions.last else { return ChainTip(proofID: id, stateID: id, sequence: 0) }
        return ChainTip(proofID: id, stateID: last.transition.id, sequence: last.transition.sequence)
    }

    /// The unsigned transition to `newOwner`; the current owner signs its ``Transition/sighash``.
    ///
    /// - Parameters:
    ///   - paymentHash: binds the transfer to a Lightning payment; it becomes final with the preimage.
    ///   - createdAt: Unix seconds.
    /// - Throws: `transfer_pending` while the previous transfer waits for its preimage; `double_transfer` for a
    ///   redeemed proof; `proof_revoked`.
    public func makeTransition(to newOwner: XOnlyPublicKey, paymentHash: Hash256? = nil, createdAt: UInt64)
        throws(ProofError) -> Transition
    {
        try checkCanMove()
        let tip = tip
        return Transition(
            proofID: id, previous: tip.stateID, sequence: tip.sequence + 1, newOwner: newOwner,
            paymentHash: paymentHash, createdAt: createdAt)
    }

    /// Appends `transition` with the owner's `signature`.
    ///
    /// - Throws: `transfer_pending`, `double_transfer`, `proof_revoked`; `stale_transition` when it does not extend the current chain;
    ///   `invalid_signature` when the current owner did not sign it.
    public mutating func append(_ transition: Transition, signature: SchnorrSignature) throws(ProofError) {
        try checkCanMove()
        let tip = tip
        guard transition.proofID == id, transition.previous == tip.stateID, transition.sequence == tip.sequence + 1
        else { throw ProofError(.staleTransition, "transition does not extend the chain at sequence \(tip.sequence)") }
        guard owner.isValidSignature(signature, message: transition.sighash) else {
            throw ProofError(.invalidSignature, "transition not signed by the current owner \(owner)")
        }
        transitions.append(SignedTransition(transition: transition, signature: signature))
    }

    /// Completes the pending transfer with the payment's preimage.
    ///
    /// - Throws: `no_pending_transfer`; `preimage_mismatch` when SHA256(preimage) is not the payment hash.
    public mutating func attachPreimage(_ preimage: Preimage) throws(ProofError) {
        guard let pending = pendingTransition else {
            throw ProofError(.noPendingTransfer, "no transfer waits for a preimage")
        }
        guard preimage.paymentHash == pending.transition.paymentHash else {
            throw ProofError(.preimageMismatch, "SHA256(preimage) is not the transition's payment hash")
        }
        transitions[transitions.count - 1] = pending.with(preimage: preimage)
    }

    /// Drops the pending transfer (its invoice expired or was canceled) and returns it.
    ///
    /// A verifier that later sees both the dropped transition and a new transfer from the same state
    /// reports `double_transfer`, so drop only transitions that were never handed out.
    /// - Throws: `no_pending_transfer`.
    public mutating func cancelPendingTransfer() throws(ProofError) -> SignedTransition {
        guard let pending = pendingTransition else {
            throw ProofError(.noPendingTransfer, "no transfer waits for a preimage")
        }
        transitions.removeLast()
        return pending
    }

    /// The consignment of this proof, disclosing the fields named in `names` (all known fields when `nil`).
    ///
    /// - Throws: `unknown_field` for a name the holder has no salted value for.
    public func export(disclosing names: [String]? = nil) throws(ProofError) -> Consignment {
        var disclosed = fields
        if let names {
            let wanted = Set(names)
            let known = Set(fields.map(\.field.name))
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw ProofError(.unknownField, "no disclosable field named \(unknown)")
            }
            disclosed = fields.filter { wanted.contains($0.field.name) }
        }
        return Consignment(
            genesis: genesis, issuerSignature: issuerSignature, transitions: transitions, disclosedFields: disclosed,
            attestations: attestations, redemption: redemption, revocation: revocation)
    }
}
