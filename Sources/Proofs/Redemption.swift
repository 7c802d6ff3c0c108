import Secp256k1

/// The end of a proof: the owner spends the last state to no one, optionally with a redeemer (the gate)
/// that co-signs. Nothing can follow it (docs/proofs.md, "Redemption").
public struct Redemption: Hashable, Sendable {
    /// The BIP340-style tag of redemption ids.
    public static let tag = "t4g/redemption"
    /// The only redemption version this implementation validates.
    public static let currentVersion: UInt8 = 1

    /// The encoding version.
    public let version: UInt8
    /// The proof redeemed.
    public let proofID: ProofID
    /// The id of the state it spends: the proof id, or the last transition's id.
    public let previous: Hash256
    /// One more than the last transition's sequence (1 when there is none).
    public let sequence: UInt64
    /// The key that co-signs the redemption (a gate), if any.
    public let redeemer: XOnlyPublicKey?
    /// Redemption time, Unix seconds.
    public let redeemedAt: UInt64
    /// `taggedHash("t4g/redemption", canonicalBytes)`, computed once; the message both signers sign.
    public let id: Hash256

    /// Creates an unsigned redemption.
    public init(
        version: UInt8 = Redemption.currentVersion, proofID: ProofID, previous: Hash256, sequence: UInt64,
        redeemer: XOnlyPublicKey?, redeemedAt: UInt64
    ) {
        self.version = version
        self.proofID = proofID
        self.previous = previous
        self.sequence = sequence
        self.redeemer = redeemer
        self.redeemedAt = redeemedAt
        var writer = CanonicalWriter(capacity: 120)
        writer.u8(version)
        writer.fixed32(proofID.bytes)
        writer.fixed32(previous.bytes)
        writer.u64(sequence)
        if let redeemer {
            writer.u8(1)
            writer.fixed32(redeemer.bytes)
        } else {
            writer.u8(0)
        }
        writer.u64(redeemedAt)
        canonicalBytes = writer.bytes
        id = Hash256(uncheckedBytes: SHA256.taggedHash(tag: Self.tag, canonicalBytes))
    }

    /// The hashed bytes: `u8 version ‖ proof_id ‖ previous ‖ u64 sequence ‖ u8 has_redeemer ‖ [redeemer] ‖
    /// u64 redeemed_at`.
    public let canonicalBytes: [UInt8]

    /// The 32 bytes the owner and the redeemer sign with BIP340: the redemption id.
    public var sighash: [UInt8] { id.bytes }
}

/// A redemption with the owner's signature and, when it names a redeemer, the redeemer's.
public struct SignedRedemption: Hashable, Sendable {
    /// The redemption.
    public let redemption: Redemption
    /// The BIP340 signature of the redemption id by the owner of the state it spends.
    public let ownerSignature: SchnorrSignature
    /// The redeemer's BIP340 signature of the redemption id; `nil` when there is no redeemer or it has not
    /// signed yet.
    public let redeemerSignature: SchnorrSignature?
    /// The id a consignment states; the validator checks it against the computed id.
    public let statedID: Hash256

    /// Pairs a redemption with its signatures; checks nothing (the validator does).
    public init(redemption: Redemption, ownerSignature: SchnorrSignature, redeemerSignature: SchnorrSignature?) {
        self.init(
            redemption: redemption, ownerSignature: ownerSignature, redeemerSignature: redeemerSignature,
            statedID: redemption.id)
    }

    init(
        redemption: Redemption, ownerSignature: SchnorrSignature, redeemerSignature: SchnorrSignature?,
        statedID: Hash256
    ) {
        self.redemption = redemption
        self.ownerSignature = ownerSignature
        self.redeemerSignature = redeemerSignature
        self.statedID = statedID
    }
}
