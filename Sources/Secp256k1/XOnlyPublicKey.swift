import CSecp256k1

/// A BIP340 x-only public key (32 bytes).
public struct XOnlyPublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The 32-byte x coordinate.
    public let bytes: [UInt8]

    /// Parses 32 bytes; throws `invalidPublicKey` when they are not the x coordinate of a curve point.
    public init(bytes: [UInt8]) throws(Secp256k1Error) {
        var point = secp256k1_xonly_pubkey()
        guard bytes.count == 32, secp256k1_xonly_pubkey_parse(Context.shared.pointer, &point, bytes) == 1 else {
            throw Secp256k1Error(.invalidPublicKey)
        }
        self.bytes = bytes
    }

    init(point: secp256k1_xonly_pubkey) {
        var point = point
        var bytes = [UInt8](repeating: 0, count: 32)
        secp256k1_xonly_pubkey_serialize(Context.shared.pointer, &bytes, &point)
        self.bytes = bytes
    }

    /// Whether `signature` is a valid BIP340 signature of `message` by this key.
    public func isValidSignature(_ signature: SchnorrSignature, message: [UInt8]) -> Bool {
        var point = secp256k1_xonly_pubkey()
        let context = Context.shared.pointer
        guard secp256k1_xonly_pubkey_parse(context, &point, bytes) == 1 else { return false }
        return secp256k1_schnorrsig_verify(context, signature.bytes, message, message.count, &point) == 1
    }

    /// Lowercase hex of the key.
    public var description: String { bytes.hex }
}
