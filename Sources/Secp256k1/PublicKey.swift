import CSecp256k1

/// A secp256k1 public key, serialized as 33 compressed bytes.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The 33-byte compressed serialization (`02`/`03` prefix).
    public let compressed: [UInt8]

    /// Parses a 33-byte compressed key; throws `invalidPublicKey` when it is not a point on the curve.
    public init(compressed bytes: [UInt8]) throws(Secp256k1Error) {
        guard bytes.count == 33, bytes[0] == 2 || bytes[0] == 3 else { throw Secp256k1Error(.invalidPublicKey) }
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Context.shared.pointer, &point, bytes, 33) == 1 else {
            throw Secp256k1Error(.invalidPublicKey)
        }
        compressed = bytes
    }

    init(point: secp256k1_pubkey) {
        var point = point
        var bytes = [UInt8](repeating: 0, count: 33)
        var length = 33
        secp256k1_ec_pubkey_serialize(
            Context.shared.pointer, &bytes, &length, &point, UInt32(SECP256K1_EC_COMPRESSED))
        compressed = bytes
    }

    /// Verifies a 64-byte compact ECDSA signature (r‖s) over a 32-byte hash.
    ///
    /// Returns `false` for a high-S signature, as libsecp256k1 accepts only the lower-S form.
    public func isValidSignature(_ compact: [UInt8], messageHash: [UInt8]) -> Bool {
        guard compact.count == 64, messageHash.count == 32 else { return false }
        var point = secp256k1_pubkey()
        var signature = secp256k1_ecdsa_signature()
        let context = Context.shared.pointer
        guard secp256k1_ec_pubkey_parse(context, &point, compressed, 33) == 1,
            secp256k1_ecdsa_signature_parse_compact(context, &signature, compact) == 1
        else { return false }
        return secp256k1_ecdsa_verify(context, &signature, messageHash, &point) == 1
    }

    /// Lowercase hex of the compressed key.
    public var description: String { compressed.hex }
}
