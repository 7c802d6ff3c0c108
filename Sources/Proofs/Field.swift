import Secp256k1

/// One named statement of a proof, such as `topic` = `Lightning channels`.
///
/// Values are UTF-8 strings; numbers and dates are written as text by convention (`60`, `2024-05-01`),
/// so what is hashed is exactly what is shown.
public struct Field: Hashable, Sendable {
    /// At most this many fields in one proof.
    public static let maximumCount = 64
    /// At most this many UTF-8 bytes in one value.
    public static let maximumValueBytes = 4096

    /// The field's name, `[a-z0-9_]{1,64}`.
    public let name: String
    /// The field's value, at most 4096 UTF-8 bytes, without NUL.
    public let value: String

    /// Validates the name, the value length and that the value holds no NUL (U+0000), which no store keeps
    /// (SQLite text ends at it, PostgreSQL refuses it); throws `invalid_field`.
    public init(name: String, value: String) throws(ProofError) {
        guard Identifier.isValid(name) else {
            throw ProofError(.invalidField, "field name must be [a-z0-9_]{1,64}")
        }
        guard value.utf8.count <= Self.maximumValueBytes else {
            throw ProofError(.invalidField, "field \(name): value longer than \(Self.maximumValueBytes) bytes")
        }
        guard !value.utf8.contains(0) else {
            throw ProofError(.invalidField, "field \(name): value contains the NUL character (U+0000)")
        }
        self.name = name
        self.value = value
    }
}

/// A field with the random salt that hides it inside its commitment; disclosing a field means giving both.
public struct SaltedField: Hashable, Sendable {
    /// The BIP340-style tag of field commitments.
    public static let tag = "t4g/field"

    /// The field.
    public let field: Field
    /// The 32-byte salt.
    public let salt: [UInt8]
    /// `taggedHash("t4g/field", canonicalBytes)`, computed once.
    public let commitment: Hash256

    /// Salts `field`; throws `invalid_length` when `salt` is not 32 bytes.
    public init(_ field: Field, salt: [UInt8]) throws(ProofError) {
        guard salt.count == 32 else {
            throw ProofError(.invalidLength, "salt: expected 32 bytes, got \(salt.count)")
        }
        self.field = field
        self.salt = salt
        commitment = Hash256(uncheckedBytes: SHA256.taggedHash(tag: Self.tag, Self.encode(field, salt: salt)))
    }

    /// The committed bytes: `salt ‖ u32(len name) ‖ name ‖ u32(len value) ‖ value`.
    public var canonicalBytes: [UInt8] { Self.encode(field, salt: salt) }

    private static func encode(_ field: Field, salt: [UInt8]) -> [UInt8] {
        var writer = CanonicalWriter(capacity: 40 + field.name.utf8.count + field.value.utf8.count)
        writer.fixed32(salt)
        writer.string(field.name)
        writer.string(field.value)
        return writer.bytes
    }
}
