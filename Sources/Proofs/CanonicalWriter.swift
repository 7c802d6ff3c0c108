/// Builds the canonical byte string of a hashed object, as docs/proofs.md ("Encoding") specifies.
///
/// Integers are big-endian and fixed width, 32-byte values are written raw, and strings are their
/// UTF-8 bytes behind a 4-byte big-endian length. Nothing else is ever written.
struct CanonicalWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func u8(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    /// Appends a 32-byte value (hash, key, salt) without a length.
    mutating func fixed32(_ value: [UInt8]) {
        precondition(value.count == 32, "canonical fixed32 value must be 32 bytes")
        bytes.append(contentsOf: value)
    }

    /// Appends `u32(length) ‖ UTF-8 bytes`.
    mutating func string(_ value: String) {
        let utf8 = value.utf8
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}
