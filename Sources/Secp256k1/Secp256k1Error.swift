/// An error raised by a key or signature operation. Its description never contains key material.
public struct Secp256k1Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable machine-readable name.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, e.g. `invalid_private_key`.
        public let name: String

        /// Bytes that are not a valid secret key (zero, or not below the curve order).
        public static let invalidPrivateKey = Code(name: "invalid_private_key")
        /// Bytes that are not a valid compressed or x-only public key.
        public static let invalidPublicKey = Code(name: "invalid_public_key")
        /// A signature whose r or s is out of range, or of the wrong length.
        public static let invalidSignature = Code(name: "invalid_signature")
        /// A recovery id outside 0...3.
        public static let invalidRecoveryID = Code(name: "invalid_recovery_id")
        /// A signature from which no public key can be recovered.
        public static let recoveryFailed = Code(name: "signature_not_recoverable")
        /// A message hash that is not 32 bytes.
        public static let invalidMessageHash = Code(name: "invalid_message_hash")

        public var description: String { name }
    }

    /// The error's code.
    public let code: Code

    /// Creates an error with `code`.
    public init(_ code: Code) {
        self.code = code
    }

    public var description: String { "secp256k1: \(code.name)" }
}
