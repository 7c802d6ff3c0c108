import Secp256k1

/// The issuer's withdrawal of a proof declared revocable (docs/proofs.md, "Revocation").
public struct Revocation: Hashable, Sendable {
    /// The BIP340-style tag of revocation ids.
    public static let tag = "t4g/revocation"
    /// The only revocation version this implementation validates.
    public static let currentVersion: UInt8 = 1

    /// The encoding version.
    public let version: UInt8
    /// The proof revoked.
    public let proofID: ProofID
    /// Revocation time, Unix seconds.
    public let revokedAt: UInt64
    /// `taggedHash("t4g/revocation", canonicalBytes)`: the message the issuer signs.
    public let id: Hash256
    /// The hashed bytes: `u8 version ‖ proof_id ‖ u64 revoked_at`.
    public let canonicalBytes: [UInt8]

    /// Creates an unsigned revocation.
    public init(version: UInt8 = Revocation.currentVersion, proofID: ProofID, revokedAt: UInt64) {
        self.version = version
        self.proofID = proofID
        self.revokedAt = revokedAt
        var writer = CanonicalWriter(capacity: 41)
        writer.u8(version)
        writer.fixed32(proofID.bytes)
        writer.u64(revokedAt)
        canonicalBytes = writer.bytes
        id = Hash256(uncheckedBytes: SHA256.taggedHash(tag: Self.tag, canonicalBytes))
    }
}

/// A revocation with the issuer's signature.
public struct SignedRevocation: Hashable, Sendable {
    /// The revocation.
    public let revocation: Revocation
    /// The issuer's BIP340 signature of the revocation id.
    public let signature: SchnorrSignature

    /// Pairs a revocation with its signature; checks nothing (the validator does).
    public init(revocation: Revocation, signature: SchnorrSignature) {
        self.revocation = revocation
        self.signature = signature
    }
}
