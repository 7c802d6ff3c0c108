/// An error raised while building, decoding or changing a proof. Its description never contains key material.
///
/// Validation does not throw: ``ProofValidator`` reports every failed rule in a ``ValidationResult``. This
/// error is for inputs that cannot even be represented (a wrong hex length, an unknown version, a kind with
/// upper-case letters) and for builder calls that would produce an invalid chain.
public struct ProofError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable machine-readable name.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, e.g. `invalid_hex`.
        public let name: String

        /// The consignment is not JSON or has a missing key or a value of the wrong JSON type.
        public static let malformedConsignment = Code(name: "malformed_consignment")
        /// A consignment, genesis or transition version this implementation does not know.
        public static let unsupportedVersion = Code(name: "unsupported_version")
        /// A string that should be lowercase hex is not.
        public static let invalidHex = Code(name: "invalid_hex")
        /// Bytes of the wrong length (a 31-byte key, a 63-byte signature).
        public static let invalidLength = Code(name: "invalid_length")
        /// 32 bytes that are not the x coordinate of a secp256k1 point.
        public static let invalidKey = Code(name: "invalid_key")
        /// A proof kind that is not `[a-z0-9_]{1,64}`.
        public static let invalidKind = Code(name: "invalid_kind")
        /// A network other than `mainnet`, `testnet`, `signet`, `regtest`.
        public static let invalidNetwork = Code(name: "invalid_network")
        /// A field name that is not `[a-z0-9_]{1,64}`, or a value longer than 4096 UTF-8 bytes.
        public static let invalidField = Code(name: "invalid_field")
        /// More than 64 fields in one proof.
        public static let tooManyFields = Code(name: "too_many_fields")
        /// Two fields with the same name, or the same commitment twice in a genesis.
        public static let duplicateField = Code(name: "duplicate_field")
        /// Field commitments that are not in strictly ascending byte order.
        public static let nonCanonical = Code(name: "non_canonical")
        /// A name asked for disclosure that the holder has no salted value for.
        public static let unknownField = Code(name: "unknown_field")
        /// A signature that does not verify under the key that must sign.
        public static let invalidSignature = Code(name: "invalid_signature")
        /// A transition that does not extend the proof's current chain (another transition came first).
        public static let staleTransition = Code(name: "stale_transition")
        /// The last transition waits for its payment preimage; the proof cannot move until then.
        public static let transferPending = Code(name: "transfer_pending")
        /// There is no payment-bound transition waiting for a preimage.
        public static let noPendingTransfer = Code(name: "no_pending_transfer")
        /// A preimage whose SHA256 is not the transition's payment hash.
        public static let preimageMismatch = Code(name: "preimage_mismatch")
        /// A randomness source returned something other than 32 bytes.
        public static let invalidRandomness = Code(name: "invalid_randomness")
        /// A key-derivation seed that is not 32 bytes, or is zero or not below the curve order.
        public static let invalidSeed = Code(name: "invalid_seed")
        /// An account id that is empty, longer than 256 UTF-8 bytes, or contains control characters.
        public static let invalidAccountID = Code(name: "invalid_account_id")

        /// More attesters than ``LifecycleTerms/maximumAttesters``.
        public static let tooManyAttesters = Code(name: "too_many_attesters")
        /// The same attester key twice in a genesis.
        public static let duplicateAttester = Code(name: "duplicate_attester")
        /// A key asked to attest a proof whose genesis does not list it.
        public static let notAnAttester = Code(name: "not_an_attester")
        /// An attester that already attested the proof.
        public static let alreadyAttested = Code(name: "already_attested")
        /// A revocation of a proof whose genesis does not declare it revocable.
        public static let notRevocable = Code(name: "not_revocable")
        /// The state a transfer or redemption would spend is already spent (the proof was redeemed).
        public static let doubleTransfer = Code(name: "double_transfer")
        /// The issuer revoked the proof: it can no longer change hands or be redeemed.
        public static let proofRevoked = Code(name: "proof_revoked")
        /// The issuer already revoked the proof.
        public static let alreadyRevoked = Code(name: "already_revoked")

        public var description: String { name }
    }

    /// The error's code.
    public let code: Code
    /// A human sentence with specifics (JSON path, expected length), never key material.
    public let detail: String

    /// Creates an error with a code and a detail sentence.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.name): \(detail)" }
}
