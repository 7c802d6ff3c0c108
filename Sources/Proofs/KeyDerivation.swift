import Secp256k1

/// Derives the daemon's keys from its 32-byte seed: the identity key and one key per platform account.
///
/// `identity = HMAC-SHA256(seed, "t4g/identity")` and
/// `account(id) = HMAC-SHA256(seed, "t4g/account/" ‖ UTF-8(id))`; in the negligible case (about 2^-128)
/// that the output is not a valid secret key, the message gets a 4-byte big-endian counter 1, 2, …
/// appended until it is. The seed lives in a ``PrivateKey`` so it is wiped on release and never printed.
public struct KeyDerivation: Sendable {
    private let seed: PrivateKey

    /// Holds `seed`; throws `invalid_seed` unless it is 32 bytes, non-zero and below the curve order
    /// (true of 32 random bytes except with probability about 2^-128).
    public init(seed: [UInt8]) throws(ProofError) {
        guard let key = try? PrivateKey(bytes: seed) else {
            throw ProofError(.invalidSeed, "seed must be 32 bytes, non-zero and below the secp256k1 order")
        }
        self.seed = key
    }

    /// The daemon's identity key.
    public func identityKey() -> PrivateKey {
        derive(Array("t4g/identity".utf8))
    }

    /// The custodial key of platform user `account:<id>`; `accountID` is the part after `account:`.
    ///
    /// - Throws: `invalid_account_id` when it is empty, longer than 256 UTF-8 bytes, or contains a control
    ///   character (U+0000–U+001F, U+007F).
    public func accountKey(accountID: String) throws(ProofError) -> PrivateKey {
        let utf8 = Array(accountID.utf8)
        guard (1...256).contains(utf8.count), !utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) else {
            throw ProofError(.invalidAccountID, "account id must be 1 to 256 UTF-8 bytes without control characters")
        }
        return derive(Array("t4g/account/".utf8) + utf8)
    }

    private func derive(_ message: [UInt8]) -> PrivateKey {
        var counter: UInt32 = 0
        while true {
            var input = message
            if counter > 0 { input += (0..<4).map { UInt8(truncatingIfNeeded: counter >> (24 - 8 * $0)) } }
            var candidate = seed.hmac(input)
            defer { candidate.wipe() }
            if let key = try? PrivateKey(bytes: candidate) { return key }
            counter += 1
        }
    }
}
