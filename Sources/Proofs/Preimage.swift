import Secp256k1

/// The 32-byte secret whose SHA256 is a Lightning payment hash; revealed to the payer when the invoice is paid.
///
/// Attached to a payment-bound transition, it proves the payment happened and makes the transfer final.
public struct Preimage: Hashable, Sendable {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// Wraps 32 bytes; throws `invalid_length` for any other count.
    public init(bytes: [UInt8]) throws(ProofError) {
        guard bytes.count == 32 else {
            throw ProofError(.invalidLength, "preimage: expected 32 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// The payment hash this preimage opens: `SHA256(preimage)`.
    public var paymentHash: Hash256 { Hash256(uncheckedBytes: SHA256.hash(bytes)) }
}
