import CSecp256k1

/// A secp256k1 secret key.
///
/// The 32 secret bytes live in memory owned by this object, are wiped when it is released,
/// and are never part of its description. Immutable after creation, hence `Sendable`.
public final class PrivateKey: @unchecked Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let secret: UnsafeMutablePointer<UInt8>
    /// The compressed public key, derived once at creation (each derivation is an elliptic-curve multiplication).
    public let publicKey: PublicKey

    /// Creates a key from 32 bytes; throws `invalidPrivateKey` when they are zero or not below the order.
    public init(bytes: some Sequence<UInt8>) throws(Secp256k1Error) {
        secret = .allocate(capacity: 32)
        secret.initialize(repeating: 0, count: 32)
        var count = 0
        for byte in bytes {
            if count < 32 { secret[count] = byte }
            count += 1
        }
        var point = secp256k1_pubkey()
        guard count == 32, secp256k1_ec_seckey_verify(Context.shared.pointer, secret) == 1,
            secp256k1_ec_pubkey_create(Context.shared.pointer, &point, secret) == 1
        else {
            secret.initialize(repeating: 0, count: 32)
            secret.deallocate()
            throw Secp256k1Error(.invalidPrivateKey)
        }
        publicKey = PublicKey(point: point)
    }

    /// A fresh key from the operating system's secure random generator.
    public static func random() -> PrivateKey {
        while true {
            var bytes = SecureRandom.bytes(count: 32)
            defer { bytes.wipe() }
            if let key = try? PrivateKey(bytes: bytes) { return key }
        }
    }

    deinit {
        for index in 0..<32 { secret[index] = 0 }
        secret.deallocate()
    }

    /// The BIP340 x-only public key.
    public var xOnlyPublicKey: XOnlyPublicKey {
        withKeypair { keypair in
            var xOnly = secp256k1_xonly_pubkey()
            precondition(secp256k1_keypair_xonly_pub(Context.shared.pointer, &xOnly, nil, &keypair) == 1)
            return XOnlyPublicKey(point: xOnly)
        }
    }

    /// Signs a 32-byte message hash with ECDSA (RFC 6979 nonce, low-S), returning a recoverable signature.
    public func signRecoverable(messageHash: [UInt8]) throws(Secp256k1Error) -> RecoverableSignature {
        guard messageHash.count == 32 else { throw Secp256k1Error(.invalidMessageHash) }
        var signature = secp256k1_ecdsa_recoverable_signature()
        precondition(
            secp256k1_ecdsa_sign_recoverable(
                Context.shared.pointer, &signature, messageHash, secret, nil, nil) == 1)
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryID: Int32 = 0
        secp256k1_ecdsa_recoverable_signature_serialize_compact(
            Context.shared.pointer, &compact, &recoveryID, &signature)
        return try RecoverableSignature(compact: compact, recoveryID: Int(recoveryID))
    }

    /// Signs `message` (any length) with BIP340 Schnorr.
    ///
    /// - Parameter auxiliaryRandomness: 32 bytes of fresh randomness (BIP340 `aux_rand`); by default from
    ///   the system generator. Pass fixed bytes only for reproducible test vectors.
    public func signSchnorr(message: [UInt8], auxiliaryRandomness: [UInt8]? = nil) -> SchnorrSignature {
        let auxiliary = auxiliaryRandomness ?? SecureRandom.bytes(count: 32)
        precondition(auxiliary.count == 32, "BIP340 aux_rand is 32 bytes")
        return withKeypair { keypair in
            var signature = [UInt8](repeating: 0, count: 64)
            auxiliary.withUnsafeBytes { auxiliaryBuffer in
                var parameters = secp256k1_schnorrsig_extraparams(
                    magic: (0xda, 0x6f, 0xb3, 0x8c), noncefp: nil,
                    ndata: UnsafeMutableRawPointer(mutating: auxiliaryBuffer.baseAddress))
                precondition(
                    secp256k1_schnorrsig_sign_custom(
                        Context.shared.pointer, &signature, message, message.count, &keypair, &parameters) == 1)
            }
            return SchnorrSignature(uncheckedBytes: signature)
        }
    }

    /// HMAC-SHA256 keyed by the secret bytes, for deterministic derivation of child secrets.
    public func hmac(_ message: [UInt8]) -> [UInt8] {
        var key = Array(UnsafeBufferPointer(start: secret, count: 32))
        defer { key.wipe() }
        return SHA256.hmac(key: key, message)
    }

    private func withKeypair<R>(_ body: (inout secp256k1_keypair) -> R) -> R {
        var keypair = secp256k1_keypair()
        precondition(secp256k1_keypair_create(Context.shared.pointer, &keypair, secret) == 1)
        defer { withUnsafeMutableBytes(of: &keypair) { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        return body(&keypair)
    }

    public var description: String { "PrivateKey(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
