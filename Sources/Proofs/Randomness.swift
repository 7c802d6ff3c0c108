import Secp256k1

/// Where the fresh 32-byte values of an issuance come from: one salt per field and the BIP340 auxiliary
/// randomness of the issuer's signature.
///
/// ``system`` is the only source for real proofs; a fixed source exists so golden vectors are reproducible.
public struct Randomness: Sendable {
    /// What a value is for, so a fixed source can return a chosen value for each.
    public enum Purpose: Hashable, Sendable {
        /// The salt of the field with this name.
        case salt(field: String)
        /// The BIP340 `aux_rand` of the issuer's signature.
        case auxiliary
    }

    private let generate: @Sendable (Purpose) -> [UInt8]

    /// A source that answers each purpose with `generate`, which must return 32 bytes.
    public init(_ generate: @escaping @Sendable (Purpose) -> [UInt8]) {
        self.generate = generate
    }

    /// The operating system's secure random generator.
    public static let system = Randomness { _ in SecureRandom.bytes(count: 32) }

    /// 32 bytes for `purpose`; throws `invalid_randomness` when the source returns another count.
    func bytes(for purpose: Purpose) throws(ProofError) -> [UInt8] {
        let bytes = generate(purpose)
        guard bytes.count == 32 else {
            throw ProofError(.invalidRandomness, "randomness source returned \(bytes.count) bytes, not 32")
        }
        return bytes
    }
}
