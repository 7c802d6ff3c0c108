import Secp256k1

/// A 32-byte hash: a proof id, a transition id, a field commitment or a payment hash.
///
/// Ordered bytewise, which is the order field commitments take in a genesis.
public struct Hash256: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// Wraps 32 bytes; throws `invalid_length` for any other count.
    public init(bytes: [UInt8]) throws(ProofError) {
        guard bytes.count == 32 else {
            throw ProofError(.invalidLength, "expected 32 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// Parses 64 lowercase hex digits; throws `invalid_hex` or `invalid_length`.
    public init(hex: String) throws(ProofError) {
        try self.init(bytes: Hex.decode(hex, count: 32))
    }

    init(uncheckedBytes: [UInt8]) {
        bytes = uncheckedBytes
    }

    /// The bytes as lowercase hex.
    public var hex: String { bytes.hex }

    public var description: String { hex }

    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    public static func < (lhs: Hash256, rhs: Hash256) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

/// The id of a proof: the tagged hash of its genesis.
public typealias ProofID = Hash256

/// The id of a transition: the tagged hash of its canonical bytes, and the message its signer signs.
public typealias TransitionID = Hash256

/// Strict lowercase hex for everything a consignment carries.
enum Hex {
    /// Decodes lowercase hex of exactly `count` bytes.
    static func decode(_ text: String, count: Int) throws(ProofError) -> [UInt8] {
        guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
            let bytes = [UInt8](hex: text)
        else { throw ProofError(.invalidHex, "not lowercase hex") }
        guard bytes.count == count else {
            throw ProofError(.invalidLength, "expected \(count) bytes, got \(bytes.count)")
        }
        return bytes
    }
}
