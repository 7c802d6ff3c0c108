import Secp256k1

/// The first state of a proof: what it attests, who issued it, and who owns it first.
///
/// Holds only the commitments of its fields, so the holder can later disclose any subset. Its tagged
/// hash is the ``ProofID``, which the issuer signs.
public struct Genesis: Hashable, Sendable {
    /// The BIP340-style tag of genesis ids.
    public static let tag = "t4g/genesis"
    /// The only genesis version this implementation validates.
    public static let currentVersion: UInt8 = 1

    /// The encoding version; ``currentVersion`` for every genesis this code issues.
    public let version: UInt8
    /// What the proof attests.
    public let kind: ProofKind
    /// The network the proof belongs to.
    public let network: ProofNetwork
    /// The issuer's x-only key, which signs the proof id.
    public let issuer: XOnlyPublicKey
    /// Issue time, Unix seconds.
    public let issuedAt: UInt64
    /// The field commitments, strictly ascending bytewise.
    public let fieldCommitments: [Hash256]
    /// The first owner's x-only key.
    public let owner: XOnlyPublicKey
    /// `taggedHash("t4g/genesis", canonicalBytes)`, computed once.
    public let id: ProofID

    /// Creates a genesis.
    ///
    /// - Throws: `non_canonical` when the commitments are not strictly ascending, `duplicate_field` when one
    ///   appears twice, `too_many_fields` past ``Field/maximumCount``.
    public init(
        version: UInt8 = Genesis.currentVersion, kind: ProofKind, network: ProofNetwork, issuer: XOnlyPublicKey,
        issuedAt: UInt64, fieldCommitments: [Hash256], owner: XOnlyPublicKey
    ) throws(ProofError) {
        guard fieldCommitments.count <= Field.maximumCount else {
            throw ProofError(.tooManyFields, "at most \(Field.maximumCount) field commitments")
        }
        for (lower, upper) in zip(fieldCommitments, fieldCommitments.dropFirst()) where !(lower < upper) {
            throw lower == upper
                ? ProofError(.duplicateField, "field commitment \(lower) appears twice")
                : ProofError(.nonCanonical, "field commitments must be in ascending byte order")
        }
        self.version = version
        self.kind = kind
        self.network = network
        self.issuer = issuer
        self.issuedAt = issuedAt
        self.fieldCommitments = fieldCommitments
        self.owner = owner
        id = Hash256(
            uncheckedBytes: SHA256.taggedHash(
                tag: Self.tag,
                Self.encode(
                    version: version, kind: kind, network: network, issuer: issuer, issuedAt: issuedAt,
                    fieldCommitments: fieldCommitments, owner: owner)))
    }

    /// The hashed bytes: `u8 version ‖ str kind ‖ str network ‖ issuer ‖ u64 issued_at ‖ u32 count ‖
    /// commitments ‖ owner`.
    public var canonicalBytes: [UInt8] {
        Self.encode(
            version: version, kind: kind, network: network, issuer: issuer, issuedAt: issuedAt,
            fieldCommitments: fieldCommitments, owner: owner)
    }

    private static func encode(
        version: UInt8, kind: ProofKind, network: ProofNetwork, issuer: XOnlyPublicKey, issuedAt: UInt64,
        fieldCommitments: [Hash256], owner: XOnlyPublicKey
    ) -> [UInt8] {
        var writer = CanonicalWriter(capacity: 128 + 32 * fieldCommitments.count)
        writer.u8(version)
        writer.string(kind.name)
        writer.string(network.rawValue)
        writer.fixed32(issuer.bytes)
        writer.u64(issuedAt)
        writer.u32(UInt32(fieldCommitments.count))
        for commitment in fieldCommitments { writer.fixed32(commitment.bytes) }
        writer.fixed32(owner.bytes)
        return writer.bytes
    }
}
