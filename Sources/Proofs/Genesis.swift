import Secp256k1

/// The first state of a proof: what it attests, who issued it, and who owns it first.
///
/// Holds only the commitments of its fields, so the holder can later disclose any subset. Its tagged
/// hash is the ``ProofID``, which the issuer signs.
public struct Genesis: Hashable, Sendable {
    /// The BIP340-style tag of genesis ids.
    public static let tag = "t4g/genesis"
    /// The version of a genesis without lifecycle terms (expiry, revocability, attesters).
    public static let currentVersion: UInt8 = 1
    /// The version of a genesis with lifecycle terms; its bytes end with them.
    public static let lifecycleVersion: UInt8 = 2
    /// The genesis versions this implementation validates.
    public static let supportedVersions: ClosedRange<UInt8> = 1...2

    /// The encoding version: ``currentVersion``, or ``lifecycleVersion`` when the genesis carries terms.
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
    /// Expiry, revocability and attesters; ``LifecycleTerms/none`` in a version 1 genesis.
    public let terms: LifecycleTerms
    /// `taggedHash("t4g/genesis", canonicalBytes)`, computed once.
    public let id: ProofID

    /// Creates a genesis.
    ///
    /// - Parameter version: `nil` for version 1 without terms and version 2 with them.
    /// - Throws: `non_canonical` when the commitments are not strictly ascending, `duplicate_field` when one
    ///   appears twice, `too_many_fields` past ``Field/maximumCount``, `unsupported_version` for terms in a
    ///   version 1 genesis.
    public init(
        version: UInt8? = nil, kind: ProofKind, network: ProofNetwork, issuer: XOnlyPublicKey,
        issuedAt: UInt64, fieldCommitments: [Hash256], owner: XOnlyPublicKey, terms: LifecycleTerms = .none
    ) throws(ProofError) {
        let version = version ?? (terms.isNone ? Self.currentVersion : Self.lifecycleVersion)
        guard version != Self.currentVersion || terms.isNone else {
            throw ProofError(.unsupportedVersion, "a version 1 genesis carries no expiry, revocability or attesters")
        }
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
        self.terms = terms
        id = Hash256(
            uncheckedBytes: SHA256.taggedHash(
                tag: Self.tag,
                Self.encode(
                    version: version, kind: kind, network: network, issuer: issuer, issuedAt: issuedAt,
                    fieldCommitments: fieldCommitments, owner: owner, terms: terms)))
    }

    /// The hashed bytes: `u8 version ‖ str kind ‖ str network ‖ issuer ‖ u64 issued_at ‖ u32 count ‖
    /// commitments ‖ owner`, then from version 2 on the ``terms``.
    public var canonicalBytes: [UInt8] {
        Self.encode(
            version: version, kind: kind, network: network, issuer: issuer, issuedAt: issuedAt,
            fieldCommitments: fieldCommitments, owner: owner, terms: terms)
    }

    private static func encode(
        version: UInt8, kind: ProofKind, network: ProofNetwork, issuer: XOnlyPublicKey, issuedAt: UInt64,
        fieldCommitments: [Hash256], owner: XOnlyPublicKey, terms: LifecycleTerms
    ) -> [UInt8] {
        var writer = CanonicalWriter(capacity: 180 + 32 * (fieldCommitments.count + terms.attesters.count))
        writer.u8(version)
        writer.string(kind.name)
        writer.string(network.rawValue)
        writer.fixed32(issuer.bytes)
        writer.u64(issuedAt)
        writer.u32(UInt32(fieldCommitments.count))
        for commitment in fieldCommitments { writer.fixed32(commitment.bytes) }
        writer.fixed32(owner.bytes)
        if version >= Self.lifecycleVersion { terms.write(to: &writer) }
        return writer.bytes
    }
}
