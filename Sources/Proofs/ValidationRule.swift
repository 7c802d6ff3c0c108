/// A rule of proof validation, named by a stable string that RPC results and docs/proofs.md use.
public struct ValidationRule: Hashable, Sendable, CustomStringConvertible {
    /// The rule's stable name, e.g. `chain_broken_link`.
    public let name: String

    private init(_ name: String) {
        self.name = name
    }

    /// The genesis or a transition has a version this implementation does not know.
    public static let unsupportedVersion = ValidationRule("unsupported_version")
    /// The genesis is for another network than the validator expects.
    public static let networkMismatch = ValidationRule("network_mismatch")
    /// The document's `proof_id` is not the hash of its genesis.
    public static let genesisIDMismatch = ValidationRule("genesis_id_mismatch")
    /// The issuer's signature of the proof id does not verify.
    public static let issuerSignatureInvalid = ValidationRule("issuer_signature_invalid")
    /// A disclosed field (value or salt) matches no commitment of the genesis.
    public static let fieldCommitmentMismatch = ValidationRule("field_commitment_mismatch")
    /// A field name is disclosed twice.
    public static let duplicateField = ValidationRule("duplicate_field")
    /// A transition's stated `id` is not the hash of its content.
    public static let transitionIDMismatch = ValidationRule("transition_id_mismatch")
    /// A transition moves another proof.
    public static let proofIDMismatch = ValidationRule("proof_id_mismatch")
    /// A transition's `previous` is not the id of the state before it.
    public static let chainBrokenLink = ValidationRule("chain_broken_link")
    /// A transition's sequence is not one more than the previous.
    public static let chainSequenceGap = ValidationRule("chain_sequence_gap")
    /// A transition is not signed by the owner of the state it spends.
    public static let transitionSignatureInvalid = ValidationRule("transition_signature_invalid")
    /// A preimage whose SHA256 is not the transition's payment hash (or a preimage without a payment hash).
    public static let preimageMismatch = ValidationRule("preimage_mismatch")
    /// A payment-bound transition without a valid preimage is followed by further transitions.
    public static let paymentPendingNotLast = ValidationRule("payment_pending_not_last")
    /// Two different transitions spend the same state.
    public static let doubleTransfer = ValidationRule("double_transfer")

    /// The redemption's stated `id` is not the hash of its content.
    public static let redemptionIDMismatch = ValidationRule("redemption_id_mismatch")
    /// The redemption is not signed by the owner of the state it spends.
    public static let redemptionSignatureInvalid = ValidationRule("redemption_signature_invalid")
    /// The redemption names a redeemer whose signature is missing or wrong, or carries one without a redeemer.
    public static let redeemerSignatureInvalid = ValidationRule("redeemer_signature_invalid")
    /// An attestation by a key the genesis does not list as an attester.
    public static let attesterUnknown = ValidationRule("attester_unknown")
    /// Two attestations by the same attester.
    public static let duplicateAttestation = ValidationRule("duplicate_attestation")
    /// An attestation not signed by its attester.
    public static let attestationSignatureInvalid = ValidationRule("attestation_signature_invalid")
    /// A revocation of a proof whose genesis does not declare `revocable`.
    public static let revocationNotAllowed = ValidationRule("revocation_not_allowed")
    /// A revocation not signed by the issuer.
    public static let revocationSignatureInvalid = ValidationRule("revocation_signature_invalid")

    /// Every rule, in the order validation applies them.
    public static let all: [ValidationRule] = [
        .unsupportedVersion, .networkMismatch, .genesisIDMismatch, .issuerSignatureInvalid,
        .fieldCommitmentMismatch, .duplicateField, .transitionIDMismatch, .proofIDMismatch, .chainBrokenLink,
        .chainSequenceGap, .transitionSignatureInvalid, .preimageMismatch, .paymentPendingNotLast, .doubleTransfer,
        .redemptionIDMismatch, .redemptionSignatureInvalid, .redeemerSignatureInvalid, .attesterUnknown,
        .duplicateAttestation, .attestationSignatureInvalid, .revocationNotAllowed, .revocationSignatureInvalid,
    ]

    public var description: String { name }
}

/// One broken rule, where it broke and why.
public struct ValidationFailure: Hashable, Sendable, CustomStringConvertible {
    /// The rule.
    public let rule: ValidationRule
    /// The position in the consignment's `transitions` of the offending transition, if one is to blame
    /// (`nil` for the genesis, the redemption, attestations and the revocation, which the detail names).
    public let transitionIndex: Int?
    /// A human sentence with specifics.
    public let detail: String

    /// Creates a failure record.
    public init(_ rule: ValidationRule, transitionIndex: Int? = nil, _ detail: String) {
        self.rule = rule
        self.transitionIndex = transitionIndex
        self.detail = detail
    }

    public var description: String {
        if let transitionIndex { return "\(rule.name) at transitions[\(transitionIndex)]: \(detail)" }
        return "\(rule.name): \(detail)"
    }
}
