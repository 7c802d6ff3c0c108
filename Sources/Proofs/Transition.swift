import Secp256k1

/// A move of a proof to a new owner, linked to the state it spends (the genesis or the previous transition).
///
/// Its id is the message the current owner signs (the "sighash"). When it carries a `paymentHash` it is
/// final only together with the matching ``Preimage``.
public struct Transition: Hashable, Sendable {
    /// The BIP340-style tag of transition ids.
    public static let tag = "t4g/transition"
    /// The only transition version this implementation validates.
    public static let currentVersion: UInt8 = 1

    /// The encoding version; ``currentVersion`` for every transition this code makes.
    public let version: UInt8
    /// The proof this transition moves.
    public let proofID: ProofID
    /// The id of the state it spends: the proof id for sequence 1, else the previous transition's id.
    public let previous: Hash256
    /// 1 for the first transition, then one more than the previous.
    public let sequence: UInt64
    /// The x-only key that owns the proof after this transition.
    public let newOwner: XOnlyPublicKey
    /// The Lightning payment hash this transfer waits for, if it is sold.
    public let paymentHash: Hash256?
    /// Creation time, Unix seconds.
    public let createdAt: UInt64
    /// `taggedHash("t4g/transition", canonicalBytes)`, computed once.
    public let id: TransitionID

    /// Creates an unsigned transition.
    public init(
        version: UInt8 = Transition.currentVersion, proofID: ProofID, previous: Hash256, sequence: UInt64,
        newOwner: XOnlyPublicKey, paymentHash: Hash256?, createdAt: UInt64
    ) {
        self.version = version
        self.proofID = proofID
        self.previous = previous
        self.sequence = sequence
        self.newOwner = newOwner
        self.paymentHash = paymentHash
        self.createdAt = createdAt
        id = Hash256(
            uncheckedBytes: SHA256.taggedHash(
                tag: Self.tag,
                Self.encode(
                    version: version, proofID: proofID, previous: previous, sequence: sequence, newOwner: newOwner,
                    paymentHash: paymentHash, createdAt: createdAt)))
    }

    /// The 32 bytes the current owner signs with BIP340: the transition id.
    public var sighash: [UInt8] { id.bytes }

    /// The hashed bytes: `u8 version ‖ proof_id ‖ previous ‖ u64 sequence ‖ new_owner ‖ u8 has_payment ‖
    /// [payment_hash] ‖ u64 created_at`.
    public var canonicalBytes: [UInt8] {
        Self.encode(
            version: version, proofID: proofID, previous: previous, sequence: sequence, newOwner: newOwner,
            paymentHash: paymentHash, createdAt: createdAt)
    }

    private static func encode(
        version: UInt8, proofID: ProofID, previous: Hash256, sequence: UInt64, newOwner: XOnlyPublicKey,
        paymentHash: Hash256?, createdAt: UInt64
    ) -> [UInt8] {
        var writer = CanonicalWriter(capacity: 150)
        writer.u8(version)
        writer.fixed32(proofID.bytes)
        writer.fixed32(previous.bytes)
        writer.u64(sequence)
        writer.fixed32(newOwner.bytes)
        if let paymentHash {
            writer.u8(1)
            writer.fixed32(paymentHash.bytes)
        } else {
            writer.u8(0)
        }
        writer.u64(createdAt)
        return writer.bytes
    }
}

/// A transition with its owner's signature and, once the payment settled, the preimage.
public struct SignedTransition: Hashable, Sendable {
    /// The transition.
    public let transition: Transition
    /// The BIP340 signature of ``Transition/sighash`` by the owner of the spent state.
    public let signature: SchnorrSignature
    /// The payment preimage of a payment-bound transition, once known.
    public let preimage: Preimage?
    /// The id a consignment states for this transition; the validator checks it against the computed id.
    public let statedID: TransitionID

    /// Pairs a transition with its signature and optional preimage; checks nothing (the validator does).
    public init(transition: Transition, signature: SchnorrSignature, preimage: Preimage? = nil) {
        self.init(transition: transition, signature: signature, preimage: preimage, statedID: transition.id)
    }

    init(transition: Transition, signature: SchnorrSignature, preimage: Preimage?, statedID: TransitionID) {
        self.transition = transition
        self.signature = signature
        self.preimage = preimage
        self.statedID = statedID
    }

    /// Whether the transfer is final: no payment hash, or a preimage that opens it.
    public var isFinal: Bool {
        guard let paymentHash = transition.paymentHash else { return true }
        return preimage?.paymentHash == paymentHash
    }

    /// The same transition with `preimage` attached.
    func with(preimage: Preimage) -> SignedTransition {
        SignedTransition(transition: transition, signature: signature, preimage: preimage, statedID: statedID)
    }
}
