import Secp256k1

/// Where a proof is in its life. When several apply, the first in this order is reported: `revoked`,
/// `redeemed`, `expired`, `transfer_pending`, `incomplete`, `active`.
public enum ProofStatus: String, Hashable, Sendable, CaseIterable {
    /// The owner holds the proof and may transfer it; every attester has attested.
    case active
    /// The last transition waits for its payment preimage; the previous owner still owns the proof.
    case transferPending = "transfer_pending"
    /// Some attesters of the genesis have not attested yet.
    case incomplete
    /// The owner redeemed (burned) the proof; nothing can follow.
    case redeemed
    /// The issuer revoked the proof.
    case revoked
    /// The genesis's `expires_at` has passed (the history stays valid).
    case expired

    /// The status a proof with these facts has, by the precedence above.
    static func of(
        revoked: Bool, redeemed: Bool, expired: Bool, transferPending: Bool, incomplete: Bool
    ) -> ProofStatus {
        if revoked { return .revoked }
        if redeemed { return .redeemed }
        if expired { return .expired }
        if transferPending { return .transferPending }
        return incomplete ? .incomplete : .active
    }
}

/// The end of a validated chain: enough to validate a longer version of it later without re-checking the
/// signatures already checked (see ``ProofValidator/validate(_:resumingFrom:)``).
public struct ChainTip: Hashable, Sendable {
    /// The proof.
    public let proofID: ProofID
    /// The id of the last transition, or the proof id when there is none.
    public let stateID: Hash256
    /// The last transition's sequence, 0 for the genesis.
    public let sequence: UInt64

    /// Creates a tip, e.g. from stored values.
    public init(proofID: ProofID, stateID: Hash256, sequence: UInt64) {
        self.proofID = proofID
        self.stateID = stateID
        self.sequence = sequence
    }
}

/// What validation found: every failed rule, and the proof's state as the consignment shows it.
///
/// `owner`, `status` and `tip` are computed even when rules fail, but mean something only if ``isValid``.
public struct ValidationResult: Hashable, Sendable {
    /// The proof id (recomputed from the genesis).
    public let proofID: ProofID
    /// The genesis, for its kind, network, issuer and issue time.
    public let genesis: Genesis
    /// Every broken rule, in the order found; empty when the consignment is valid.
    public let failures: [ValidationFailure]
    /// Whether the issuer is one of the validator's trusted issuers (not part of ``isValid``).
    public let issuerTrusted: Bool
    /// The current owner: the new owner of the last final transition, or the genesis owner.
    public let owner: XOnlyPublicKey
    /// The status by the precedence of ``ProofStatus``; `expired` only when validation was given a time.
    public let status: ProofStatus
    /// The last transition while it waits for its preimage.
    public let pendingTransition: Transition?
    /// The disclosed fields that match a commitment, in consignment order.
    public let disclosedFields: [Field]
    /// The end of the chain, to resume validation from when the consignment grows.
    public let tip: ChainTip
    /// How many BIP340 verifications this validation ran (issuer plus transitions not skipped, plus
    /// attestations, the redemption and the revocation).
    public let signatureVerifications: Int
    /// The attestations that verified, in consignment order.
    public let attestations: [SignedAttestation]
    /// The genesis attesters without a valid attestation, ascending.
    public let missingAttesters: [XOnlyPublicKey]
    /// The redemption the consignment carries (who: ``owner`` and its redeemer; when: its time).
    public let redemption: SignedRedemption?
    /// The revocation the consignment carries.
    public let revocation: SignedRevocation?

    /// Whether no rule failed.
    public var isValid: Bool { failures.isEmpty }

    /// The distinct failed rules, in the order first found.
    public var failedRules: [ValidationRule] {
        var seen = Set<ValidationRule>()
        return failures.map(\.rule).filter { seen.insert($0).inserted }
    }
}
