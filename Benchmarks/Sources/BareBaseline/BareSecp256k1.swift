internal import COpenSSLBare
internal import CSecp256k1Bare

/// The work a BOLT #11 codec or a proof validator cannot avoid, done by calling OpenSSL and libsecp256k1
/// directly: the baseline the benchmarks compare against.
///
/// Per invoice the decoder must hash the signed data once and recover (or verify) one signature;
/// the encoder must hash once and sign once. A proof validator must run one BIP340 verification per
/// signature. Nothing here allocates.
public final class BareSecp256k1: @unchecked Sendable {
    // Safe to share: after `init` the context is only read; libsecp256k1 documents signing and
    // recovery on a shared context as thread-safe.
    private let context: OpaquePointer

    /// Creates and randomizes a context, as the `Secp256k1` module does.
    public init() {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("libsecp256k1: context creation failed")
        }
        var generator = SystemRandomNumberGenerator()
        let seed = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        precondition(secp256k1_context_randomize(context, seed) == 1)
        self.context = context
    }

    /// SHA-256 of `signedData`, then public-key recovery from `signature` (64 bytes r‖s, then the
    /// recovery id). Returns whether a key was recovered.
    @inline(never)
    public func recover(signedData: [UInt8], signature: [UInt8]) -> Bool {
        var point = secp256k1_pubkey()
        return recover(signedData: signedData, signature: signature, into: &point)
    }

    /// SHA-256 of `signedData`, then a recoverable ECDSA signature with `secret` (32 bytes).
    /// Returns whether signing succeeded.
    @inline(never)
    public func sign(signedData: [UInt8], secret: [UInt8]) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { hash in
            signedData.withUnsafeBufferPointer { data in
                bare_sha256(data.baseAddress, data.count, hash.baseAddress)
            }
            var signature = secp256k1_ecdsa_recoverable_signature()
            return secp256k1_ecdsa_sign_recoverable(context, &signature, hash.baseAddress!, secret, nil, nil) == 1
        }
    }

    /// A BIP340 verification as BIP340's `Verify(pk, m, sig)` defines it: `lift_x` of the 32-byte
    /// x-only `publicKey` (`secp256k1_xonly_pubkey_parse`), then `secp256k1_schnorrsig_verify` of the
    /// 64-byte `signature` over the 32-byte `message`. Returns whether the signature is valid.
    @inline(never)
    public func verifySchnorr(publicKey: [UInt8], message: [UInt8], signature: [UInt8]) -> Bool {
        precondition(publicKey.count == 32 && message.count == 32 && signature.count == 64)
        var point = secp256k1_xonly_pubkey()
        guard secp256k1_xonly_pubkey_parse(context, &point, publicKey) == 1 else { return false }
        return secp256k1_schnorrsig_verify(context, signature, message, 32, &point) == 1
    }

    /// The compressed public key that `recover` finds, for checking that the baseline does the
    /// same work as the codec; `nil` when recovery fails.
    public func recoveredPublicKey(signedData: [UInt8], signature: [UInt8]) -> [UInt8]? {
        var point = secp256k1_pubkey()
        guard recover(signedData: signedData, signature: signature, into: &point) else { return nil }
        var bytes = [UInt8](repeating: 0, count: 33)
        var length = 33
        secp256k1_ec_pubkey_serialize(context, &bytes, &length, &point, UInt32(SECP256K1_EC_COMPRESSED))
        return bytes
    }

    private func recover(signedData: [UInt8], signature: [UInt8], into point: inout secp256k1_pubkey) -> Bool {
        precondition(signature.count == 65)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { hash in
            signedData.withUnsafeBufferPointer { data in
                bare_sha256(data.baseAddress, data.count, hash.baseAddress)
            }
            var parsed = secp256k1_ecdsa_recoverable_signature()
            guard
                secp256k1_ecdsa_recoverable_signature_parse_compact(
                    context, &parsed, signature, Int32(signature[64])) == 1
            else { return false }
            return secp256k1_ecdsa_recover(context, &point, &parsed, hash.baseAddress!) == 1
        }
    }
}
