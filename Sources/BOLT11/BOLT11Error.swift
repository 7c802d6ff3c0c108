/// Why an invoice string was rejected (or cannot be encoded). The description carries no secrets.
public struct BOLT11Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable cause; its `name` is what RPC errors report as `data.reason`'s cause.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The cause's stable name, e.g. `bad_checksum`.
        public let name: String

        public static let badChecksum = Code(name: "bad_checksum")
        public static let noSeparator = Code(name: "bech32_no_separator")
        public static let mixedCase = Code(name: "bech32_mixed_case")
        public static let bech32TooShort = Code(name: "bech32_too_short")
        public static let invalidCharacter = Code(name: "bech32_invalid_character")
        public static let tooShort = Code(name: "too_short")
        public static let invalidHRP = Code(name: "invalid_hrp")
        public static let unknownNetwork = Code(name: "unknown_network")
        public static let invalidMultiplier = Code(name: "invalid_multiplier")
        public static let invalidAmount = Code(name: "invalid_amount")
        public static let amountLeadingZero = Code(name: "invalid_amount_leading_zero")
        public static let subMillisatoshiAmount = Code(name: "sub_millisatoshi_amount")
        public static let missingPaymentHash = Code(name: "missing_payment_hash")
        public static let missingPaymentSecret = Code(name: "missing_payment_secret")
        public static let descriptionAndHash = Code(name: "description_and_hash_both_or_neither")
        public static let invalidRouteHintLength = Code(name: "invalid_route_hint_length")
        public static let invalidRouteHintPubkey = Code(name: "invalid_route_hint_pubkey")
        public static let invalidFallback = Code(name: "invalid_fallback_field")
        public static let invalidUTF8Description = Code(name: "invalid_utf8_description")
        public static let signatureNotRecoverable = Code(name: "signature_not_recoverable")
        public static let invalidRecoveryID = Code(name: "invalid_recovery_id")
        public static let invalidSignature = Code(name: "invalid_signature")
        public static let highSWithPayee = Code(name: "invalid_signature_high_s_with_n")
        public static let unknownRequiredFeature = Code(name: "unknown_required_feature")
        public static let invalidFieldLength = Code(name: "invalid_field_length")
        public static let truncatedField = Code(name: "truncated_field")
        public static let integerOverflow = Code(name: "integer_overflow")
        public static let invalidPayeePubkey = Code(name: "invalid_payee_pubkey")
        /// Encoding only: a field longer than the 1023 words a tagged field can hold.
        public static let fieldTooLong = Code(name: "field_too_long")
        /// Encoding only: the explicit payee (`n`) is not the signing key's public key.
        public static let payeeMismatch = Code(name: "payee_mismatch")

        public var description: String { name }
    }

    /// The cause.
    public let code: Code
    /// A human sentence with specifics (field, value), never key material.
    public let detail: String

    /// Creates an error with a cause and a detail sentence.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.name): \(detail)" }
}
