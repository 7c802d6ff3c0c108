import Secp256k1

/// What a genesis of version 2 declares about the proof's life: when it expires, whether its issuer may
/// revoke it, and whose attestations it needs before it is complete (docs/proofs.md, "Genesis version 2").
public struct LifecycleTerms: Hashable, Sendable {
    /// At most this many attesters in one genesis.
    public static let maximumAttesters = 16
    /// No expiry, not revocable, no attesters: the terms of every version 1 genesis.
    public static let none = LifecycleTerms(uncheckedExpiresAt: nil, revocable: false, attesters: [])

    /// Unix seconds from which verification reports `expired`, or `nil` for a proof that never expires.
    public let expiresAt: UInt64?
    /// Whether the issuer may revoke the proof.
    public let revocable: Bool
    /// The keys that must each attest the proof before it is complete, strictly ascending bytewise.
    public let attesters: [XOnlyPublicKey]

    /// Creates terms; sorts the attesters.
    ///
    /// - Throws: `duplicate_attester` when a key is given twice, `too_many_attesters` past
    ///   ``maximumAttesters``.
    public init(expiresAt: UInt64? = nil, revocable: Bool = false, attesters: [XOnlyPublicKey] = [])
        throws(ProofError)
    {
        try self.init(canonical: expiresAt, revocable: revocable, attesters: attesters.sorted(by: Self.precedes))
    }

    /// Creates terms whose attesters must already be strictly ascending (as a consignment carries them).
    ///
    /// - Throws: `non_canonical` when they are not in order, `duplicate_attester`, `too_many_attesters`.
    init(canonical expiresAt: UInt64?, revocable: Bool, attesters: [XOnlyPublicKey]) throws(ProofError) {
        guard attesters.count <= Self.maximumAttesters else {
            throw ProofError(.tooManyAttesters, "at most \(Self.maximumAttesters) attesters")
        }
        for (lower, upper) in zip(attesters, attesters.dropFirst()) where !Self.precedes(lower, upper) {
            throw lower == upper
                ? ProofError(.duplicateAttester, "attester \(lower) appears twice")
                : ProofError(.nonCanonical, "attesters must be in ascending byte order")
        }
        self.init(uncheckedExpiresAt: expiresAt, revocable: revocable, attesters: attesters)
    }

    private init(uncheckedExpiresAt: UInt64?, revocable: Bool, attesters: [XOnlyPublicKey]) {
        expiresAt = uncheckedExpiresAt
        self.revocable = revocable
        self.attesters = attesters
    }

    /// Whether these are the terms of a version 1 genesis (nothing declared).
    public var isNone: Bool { self == .none }

    /// Appends `u8 has_expiry ‖ [u64 expires_at] ‖ u8 revocable ‖ u32 count ‖ attesters`.
    func write(to writer: inout CanonicalWriter) {
        if let expiresAt {
            writer.u8(1)
            writer.u64(expiresAt)
        } else {
            writer.u8(0)
        }
        writer.u8(revocable ? 1 : 0)
        writer.u32(UInt32(attesters.count))
        for attester in attesters { writer.fixed32(attester.bytes) }
    }

    private static func precedes(_ lhs: XOnlyPublicKey, _ rhs: XOnlyPublicKey) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
