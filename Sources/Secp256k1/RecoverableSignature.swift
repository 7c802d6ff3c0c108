import CSecp256k1

/// A compact ECDSA signature (r‖s, 64 bytes) with its public-key recovery id, as BOLT #11 carries it.
public struct RecoverableSignature: Hashable, Sendable {
    /// The 64 bytes r‖s exactly as given (not normalised to low-S).
    public let compact: [UInt8]
    /// The recovery id, 0...3.
    public let recoveryID: Int

    /// Half the curve order n, big-endian: s above this is "high-S".
    private static let halfOrder: [UInt8] = [
        0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
    ]

    /// Wraps a signature; throws `invalidSignature` for a wrong length and `invalidRecoveryID` outside 0...3.
    public init(compact: [UInt8], recoveryID: Int) throws(Secp256k1Error) {
        guard compact.count == 64 else { throw Secp256k1Error(.invalidSignature) }
        guard (0...3).contains(recoveryID) else { throw Secp256k1Error(.invalidRecoveryID) }
        self.compact = compact
        self.recoveryID = recoveryID
    }

    /// Whether s is above n/2 (a malleated, non-canonical signature).
    public var isHighS: Bool {
        Self.halfOrder.lexicographicallyPrecedes(compact[32..<64])
    }

    /// Recovers the public key that made this signature over `messageHash` (high-S accepted).
    ///
    /// - Throws: `invalidSignature` when r or s is out of range, `recoveryFailed` when no key recovers.
    public func recoverPublicKey(messageHash: [UInt8]) throws(Secp256k1Error) -> PublicKey {
        guard messageHash.count == 32 else { throw Secp256k1Error(.invalidMessageHash) }
        let context = Context.shared.pointer
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard
            secp256k1_ecdsa_recoverable_signature_parse_compact(context, &signature, compact, Int32(recoveryID)) == 1
        else { throw Secp256k1Error(.invalidSignature) }
        var point = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &point, &signature, messageHash) == 1 else {
            throw Secp256k1Error(.recoveryFailed)
        }
        return PublicKey(point: point)
    }

    /// Whether this is a valid lower-S signature of `messageHash` by `publicKey`.
    public func isValid(messageHash: [UInt8], publicKey: PublicKey) -> Bool {
        publicKey.isValidSignature(compact, messageHash: messageHash)
    }
}
