/// A 64-byte BIP340 Schnorr signature.
public struct SchnorrSignature: Hashable, Sendable, CustomStringConvertible {
    /// The 64 signature bytes (R.x ‖ s).
    public let bytes: [UInt8]

    /// Wraps 64 bytes; throws `invalidSignature` for any other length. Validity is checked on verification.
    public init(bytes: [UInt8]) throws(Secp256k1Error) {
        guard bytes.count == 64 else { throw Secp256k1Error(.invalidSignature) }
        self.bytes = bytes
    }

    init(uncheckedBytes: [UInt8]) {
        bytes = uncheckedBytes
    }

    /// Lowercase hex of the signature.
    public var description: String { bytes.hex }
}
