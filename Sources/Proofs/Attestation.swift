import Secp256k1

/// An attester's signed statement that it stands behind a proof (docs/proofs.md, "Attestations").
public struct Attestation: Hashable, Sendable {
    /// The BIP340-style tag of attestation ids.
    public static let tag = "t4g/attestation"
    /// The only attestation version this implementation validates.
    public static let currentVersion: UInt8 = 1

    /// The encoding version.
    public let version: UInt8
    /// The proof attested.
    public let proofID: ProofID
    /// The attester's x-only key, one of the genesis attesters.
    public let attester: XOnlyPublicKey
    /// Attestation time, Unix seconds.
    public let attestedAt: UInt64
    /// `taggedHash("t4g/attestation", canonicalBytes)`: the message the attester signs.
    public let id: Hash256
    /// The hashed bytes: `u8 version ‖ proof_id ‖ attester ‖ u64 attested_at`.
    public let canonicalBytes: [UInt8]

    /// Creates an unsigned attestation.
    public init(
        version: UInt8 = Attestation.currentVersion, proofID: ProofID, attester: XOnlyPublicKey, attestedAt: UInt64
    ) {
        self.version = version
        self.proofID = proofID
        self.attester = attester
        self.attestedAt = attestedAt
        var writer = CanonicalWriter(capacity: 73)
        writer.u8(version)
        writer.fixed32(proofID.bytes)
        writer.fixed32(attester.bytes)
        writer.u64(attestedAt)
        canonicalBytes = writer.bytes
        id = Hash256(uncheckedBytes: SHA256.taggedHash(tag: Self.tag, canonicalBytes))
    }

    /// The 32 bytes the attester signs with BIP340: the attestation id.
    public var sighash: [UInt8] { id.bytes }
}

/// An attestation with its attester's signature.
public struct SignedAttestation: Hashable, Sendable {
    /// The attestation.
    public let attestation: Attestation
    /// The attester's BIP340 signature of the attestation id.
    public let signature: SchnorrSignature

    /// Pairs an attestation with its signature; checks nothing (the validator does).
    public init(attestation: Attestation, signature: SchnorrSignature) {
        self.attestation = attestation
        self.signature = signature
    }
}
