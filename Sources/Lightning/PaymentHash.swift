import Secp256k1

/// The SHA-256 of a payment preimage: identifies an invoice and the payments to it.
public struct PaymentHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 hash bytes.
    public let bytes: [UInt8]

    /// Wraps 32 bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hex digits; `nil` otherwise.
    public init?(hex: String) {
        guard hex.utf8.count == 64, let bytes = [UInt8](hex: hex) else { return nil }
        self.bytes = bytes
    }

    /// Lowercase hex.
    public var hex: String { bytes.hex }
    public var description: String { hex }
}

/// The secret whose SHA-256 is a payment hash. Revealed only when an invoice is paid; its description
/// is redacted so that it cannot reach a log line by accident.
public struct Preimage: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The 32 secret bytes.
    public let bytes: [UInt8]

    /// Wraps 32 bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hex digits; `nil` otherwise.
    public init?(hex: String) {
        guard hex.utf8.count == 64, let bytes = [UInt8](hex: hex) else { return nil }
        self.bytes = bytes
    }

    /// A fresh random preimage.
    public static func random() -> Preimage { Preimage(bytes: SecureRandom.bytes(count: 32))! }

    /// The payment hash this preimage unlocks.
    public var paymentHash: PaymentHash { PaymentHash(bytes: SHA256.hash(bytes))! }

    /// Lowercase hex, for the places that must reveal it (a paid invoice, a succeeded payment).
    public var hex: String { bytes.hex }
    public var description: String { "Preimage(<redacted>)" }
    public var debugDescription: String { description }
}
