import Secp256k1

/// Validates consignments by the rules of docs/proofs.md, reporting every broken rule by name.
///
/// Validation is linear: one BIP340 verification per signature, one dictionary lookup per transition, and
/// every id is hashed once, when its object is built. Given the ``ChainTip`` of an earlier validation of
/// the same chain, it verifies only the signatures past that tip.
public struct ProofValidator: Sendable {
    /// The issuers whose proofs the caller trusts; reported as ``ValidationResult/issuerTrusted``.
    public let trustedIssuers: Set<XOnlyPublicKey>
    /// The network proofs must belong to, or `nil` to accept any.
    public let network: ProofNetwork?

    /// Creates a validator.
    public init(trustedIssuers: some Sequence<XOnlyPublicKey>, network: ProofNetwork? = nil) {
        self.trustedIssuers = Set(trustedIssuers)
        self.network = network
    }

    /// Validates `consignment`.
    ///
    /// - Parameters:
    ///   - tip: the tip of an earlier valid validation of this proof. When the consignment still holds that
    ///     tip at its sequence, the issuer signature and the signatures up to the tip are not verified again
    ///     (their ids, links, sequences and preimages are, which costs hashes, not curve operations). A tip
    ///     the consignment does not contain is ignored and everything is verified. Attestations, the
    ///     redemption and the revocation are always verified.
    ///   - now: Unix seconds to judge expiry by; `nil` never reports `expired`.
    public func validate(_ consignment: Consignment, resumingFrom tip: ChainTip? = nil, at now: UInt64? = nil)
        -> ValidationResult
    {
        let genesis = consignment.genesis
        var failures = [ValidationFailure]()
        var verifications = 0
        if !Genesis.supportedVersions.contains(genesis.version) {
            failures.append(ValidationFailure(.unsupportedVersion, "genesis version \(genesis.version)"))
        }
        if let network, genesis.network != network {
            failures.append(
                ValidationFailure(.networkMismatch, "proof is for \(genesis.network.rawValue), not \(network.rawValue)")
            )
        }
        if consignment.statedProofID != genesis.id {
            failures.append(
                ValidationFailure(.genesisIDMismatch, "stated \(consignment.statedProofID), computed \(genesis.id)"))
        }
        let validatedCount = tip.flatMap { Self.validatedPrefixLength(of: $0, in: consignment) }
        if validatedCount == nil {
            verifications += 1
            if !genesis.issuer.isValidSignature(consignment.issuerSignature, message: genesis.id.bytes) {
                failures.append(ValidationFailure(.issuerSignatureInvalid, "issuer \(genesis.issuer)"))
            }
        }
        let disclosedFields = Self.checkFields(consignment, failures: &failures)
        var chain = ChainWalk(genesis: genesis, capacity: consignment.transitions.count)
        for (index, signed) in consignment.transitions.enumerated() {
            chain.add(
                signed, at: index, verifySignature: index >= (validatedCount ?? 0), failures: &failures,
                verifications: &verifications)
        }
        let pending = chain.pending
        if let redemption = consignment.redemption {
            chain.addRedemption(redemption, failures: &failures, verifications: &verifications)
        }
        let attestations = Self.checkAttestations(consignment, failures: &failures, verifications: &verifications)
        if let revocation = consignment.revocation {
            Self.checkRevocation(revocation, of: genesis, failures: &failures, verifications: &verifications)
        }
        let missing = genesis.terms.attesters.filter { attester in
            !attestations.contains { $0.attestation.attester == attester }
        }
        let status = ProofStatus.of(
            revoked: consignment.revocation != nil, redeemed: consignment.redemption != nil,
            expired: genesis.terms.isExpired(at: now), transferPending: pending != nil, incomplete: !missing.isEmpty)
        return ValidationResult(
            proofID: genesis.id, genesis: genesis, failures: failures,
            issuerTrusted: trustedIssuers.contains(genesis.issuer), owner: pending?.signer ?? chain.stateOwner,
            status: status, pendingTransition: pending?.transition, disclosedFields: disclosedFields,
            tip: ChainTip(proofID: genesis.id, stateID: chain.stateID, sequence: chain.sequence),
            signatureVerifications: verifications, attestations: attestations, missingAttesters: missing,
            redemption: consignment.redemption, revocation: consignment.revocation)
    }

    /// Double transfers between a chain already stored and an incoming one: each incoming transition that
    /// spends a state the stored chain spends with a different transition. Linear in both lengths.
    public static func conflicts(
        stored: some Sequence<Transition>, incoming: some Sequence<Transition>
    ) -> [ValidationFailure] {
        conflicts(stored: stored.map(\.spend), incoming: incoming.map(\.spend))
    }

    /// Double transfers between the state spends of a stored chain and an incoming one (see
    /// ``Consignment/spends``): a redemption counts as the transition that spends its state, so a redemption
    /// and a transfer (or two redemptions) of the same state conflict. `transitionIndex` is the position in
    /// `incoming`.
    public static func conflicts(stored: [StateSpend], incoming: [StateSpend]) -> [ValidationFailure] {
        var spentBy = [Hash256: Hash256]()
        for transition in stored { spentBy[transition.previous] = transition.id }
        var failures = [ValidationFailure]()
        for (index, transition) in incoming.enumerated() {
            if let spender = spentBy[transition.previous], spender != transition.id {
                failures.append(
                    ValidationFailure(
                        .doubleTransfer, transitionIndex: index,
                        "state \(transition.previous) is spent by stored transition \(spender) and by \(transition.id)")
                )
            }
        }
        return failures
    }

    /// How many transitions of `consignment` the tip covers, or `nil` when the consignment does not hold it.
    private static func validatedPrefixLength(of tip: ChainTip, in consignment: Consignment) -> Int? {
        guard tip.proofID == consignment.genesis.id, tip.sequence <= UInt64(consignment.transitions.count) else {
            return nil
        }
        guard tip.sequence > 0 else { return tip.stateID == tip.proofID ? 0 : nil }
        let transition = consignment.transitions[Int(tip.sequence) - 1].transition
        return transition.id == tip.stateID && transition.sequence == tip.sequence ? Int(tip.sequence) : nil
    }

    /// Checks each disclosed field against the commitments; returns those that match.
    private static func checkFields(_ consignment: Consignment, failures: inout [ValidationFailure]) -> [Field] {
        let commitments = Set(consignment.genesis.fieldCommitments)
        var names = Set<String>()
        var matched = [Field]()
        for salted in consignment.disclosedFields {
            guard names.insert(salted.field.name).inserted else {
                failures.append(ValidationFailure(.duplicateField, "field \(salted.field.name) disclosed twice"))
                continue
            }
            if commitments.contains(salted.commitment) {
                matched.append(salted.field)
            } else {
                failures.append(
                    ValidationFailure(.fieldCommitmentMismatch, "field \(salted.field.name) matches no commitment"))
            }
        }
        return matched
    }
}

/// The state of a chain being walked transition by transition.
///
/// The chain's states are numbered: 0 is the genesis, k the state after the k-th transition that
/// extended the chain. One dictionary from state id to number finds both a broken link (unknown state)
/// and a second spend (a state below the tip), with one lookup and one insertion per transition.
struct ChainWalk {
    /// A payment-bound transition that has no valid preimage, with the owner who signed it.
    struct Pending {
        let transition: Transition
        let signer: XOnlyPublicKey
        let index: Int
        let hasPreimage: Bool
    }

    let proofID: ProofID
    /// The id of the last state (the proof id at first).
    private(set) var stateID: Hash256
    private(set) var sequence: UInt64 = 0
    /// The key that owns the last state, and so signs the next transition.
    private(set) var stateOwner: XOnlyPublicKey
    /// The last transition, when it is not final.
    private(set) var pending: Pending?
    /// The number of each state.
    private(set) var stateNumbers: [Hash256: Int]
    /// The owner of each state, by number.
    private(set) var owners: [XOnlyPublicKey]
    /// The transition that spent each state, by number.
    private(set) var spenders: [TransitionID] = []

    init(genesis: Genesis, capacity: Int) {
        proofID = genesis.id
        stateID = genesis.id
        stateOwner = genesis.owner
        stateNumbers = Dictionary(minimumCapacity: capacity + 1)
        stateNumbers[genesis.id] = 0
        owners = [genesis.owner]
        owners.reserveCapacity(capacity + 1)
        spenders.reserveCapacity(capacity)
    }

    mutating func add(
        _ signed: SignedTransition, at index: Int, verifySignature: Bool, failures: inout [ValidationFailure],
        verifications: inout Int
    ) {
        let transition = signed.transition
        func fail(_ rule: ValidationRule, _ detail: String) {
            failures.append(ValidationFailure(rule, transitionIndex: index, detail))
        }
        if signed.statedID != transition.id {
            fail(.transitionIDMismatch, "stated \(signed.statedID), computed \(transition.id)")
        }
        if transition.version != Transition.currentVersion {
            fail(.unsupportedVersion, "transition version \(transition.version)")
        }
        if transition.proofID != proofID {
            fail(.proofIDMismatch, "transition moves proof \(transition.proofID)")
        }
        let spent = stateNumbers[transition.previous]
        if let spent, spent < spenders.count {
            let (rule, detail) = secondSpend(signed, of: spent, verifications: &verifications)
            fail(rule, detail)
            return
        }
        if spent == nil {
            fail(.chainBrokenLink, "previous is \(transition.previous), expected \(stateID)")
        }
        if transition.sequence != sequence &+ 1 {
            fail(.chainSequenceGap, "sequence \(transition.sequence) after \(sequence)")
        }
        if verifySignature {
            verifications += 1
            if !stateOwner.isValidSignature(signed.signature, message: transition.sighash) {
                fail(.transitionSignatureInvalid, "not signed by \(stateOwner), the owner at sequence \(sequence)")
            }
        }
        if let earlier = pending, !earlier.hasPreimage {
            failures.append(
                ValidationFailure(
                    .paymentPendingNotLast, transitionIndex: earlier.index,
                    "payment-bound transition without preimage is followed by sequence \(transition.sequence)"))
        }
        if transition.paymentHash == nil, signed.preimage != nil {
            fail(.preimageMismatch, "preimage on a transition without payment hash")
        } else if let preimage = signed.preimage, preimage.paymentHash != transition.paymentHash {
            fail(.preimageMismatch, "SHA256(preimage) is not the payment hash")
        }
        pending =
            signed.isFinal
            ? nil
            : Pending(transition: transition, signer: stateOwner, index: index, hasPreimage: signed.preimage != nil)
        spenders.append(transition.id)
        owners.append(transition.newOwner)
        stateNumbers[transition.id] = spenders.count
        stateID = transition.id
        sequence = transition.sequence
        stateOwner = transition.newOwner
    }

    /// The rule a transition breaks by spending state `number`, which an earlier transition already spent:
    /// it repeats that transition, is a double transfer by the state's owner, or is a forgery by someone else.
    private func secondSpend(_ signed: SignedTransition, of number: Int, verifications: inout Int)
        -> (ValidationRule, String)
    {
        let transition = signed.transition
        guard spenders[number] != transition.id else {
            return (.chainBrokenLink, "transition \(transition.id) appears twice")
        }
        verifications += 1
        if owners[number].isValidSignature(signed.signature, message: transition.sighash) {
            return (.doubleTransfer, "state \(transition.previous) is already spent by \(spenders[number])")
        }
        return (.transitionSignatureInvalid, "not signed by \(owners[number]), the owner of the state it spends")
    }
}
