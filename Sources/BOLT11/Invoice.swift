import Secp256k1

/// The signed content of a BOLT #11 invoice: everything but the signature.
///
/// Encoding these fields with a key and decoding the result gives back equal fields.
public struct InvoiceFields: Hashable, Sendable {
    /// The network of the currency prefix.
    public var network: Network
    /// Amount requested, or `nil` for an any-amount invoice.
    public var amountMsat: UInt64?
    /// Creation time, Unix seconds (35 bits).
    public var timestamp: UInt64
    /// `p`: the 32-byte payment hash.
    public var paymentHash: [UInt8]
    /// `s`: the 32-byte payment secret.
    public var paymentSecret: [UInt8]?
    /// `d`: the description text.
    public var description: String?
    /// `h`: SHA256 of a description too long for the invoice.
    public var descriptionHash: [UInt8]?
    /// `n`: the payee's node id, when given explicitly.
    public var payeeNodeID: [UInt8]?
    /// `x`: seconds until expiry, when given (readers default to 3600).
    public var expirySeconds: UInt64?
    /// `c`: the final hop's CLTV delta, when given (readers default to 18).
    public var minFinalCLTVExpiry: UInt64?
    /// `f`: on-chain fallback addresses, in field order.
    public var fallbacks: [FallbackAddress]
    /// `r`: private route hints, each a list of hops.
    public var routeHints: [[RouteHop]]
    /// `9`: the set feature bits, sorted.
    public var features: [Int]
    /// `m`: payment metadata to send back to the payee.
    public var metadata: [UInt8]?
    /// Fields of unknown type, kept so that the signature covers what was read.
    public var unknownFields: [UnknownField]

    /// Expiry applied when the invoice has no `x` field.
    public static let defaultExpirySeconds: UInt64 = 3600
    /// `min_final_cltv_expiry` applied when the invoice has no `c` field.
    public static let defaultMinFinalCLTVExpiry: UInt64 = 18

    /// Creates the fields of an invoice; the optional ones default to absent.
    public init(
        network: Network, amountMsat: UInt64?, timestamp: UInt64, paymentHash: [UInt8], paymentSecret: [UInt8]?,
        description: String? = nil, descriptionHash: [UInt8]? = nil, payeeNodeID: [UInt8]? = nil,
        expirySeconds: UInt64? = nil, minFinalCLTVExpiry: UInt64? = nil, fallbacks: [FallbackAddress] = [],
        routeHints: [[RouteHop]] = [], features: [Int] = [], metadata: [UInt8]? = nil,
        unknownFields: [UnknownField] = []
    ) {
        self.network = network
        self.amountMsat = amountMsat
        self.timestamp = timestamp
        self.paymentHash = paymentHash
        self.paymentSecret = paymentSecret
        self.description = description
        self.descriptionHash = descriptionHash
        self.payeeNodeID = payeeNodeID
        self.expirySeconds = expirySeconds
        self.minFinalCLTVExpiry = minFinalCLTVExpiry
        self.fallbacks = fallbacks
        self.routeHints = routeHints
        self.features = features
        self.metadata = metadata
        self.unknownFields = unknownFields
    }

    /// Seconds until expiry with the default applied.
    public var effectiveExpirySeconds: UInt64 { expirySeconds ?? Self.defaultExpirySeconds }
    /// The final CLTV delta with the default applied.
    public var effectiveMinFinalCLTVExpiry: UInt64 { minFinalCLTVExpiry ?? Self.defaultMinFinalCLTVExpiry }
    /// Unix time at which the invoice expires.
    public var expiresAt: UInt64 { timestamp.addingReportingOverflow(effectiveExpirySeconds).partialValue }
}

/// A tagged field whose type this decoder does not know; readers skip it.
public struct UnknownField: Hashable, Sendable {
    /// The 5-bit type.
    public let type: UInt8
    /// The field's data words.
    public let words: [UInt8]

    /// Creates an unknown field.
    public init(type: UInt8, words: [UInt8]) {
        self.type = type
        self.words = words
    }
}

/// Something a lenient decode accepted but a payer following the current spec must refuse.
public struct InvoiceWarning: Hashable, Sendable, CustomStringConvertible {
    /// The cause, one of ``BOLT11Error/Code``'s names.
    public let code: BOLT11Error.Code
    /// What was seen.
    public let detail: String

    public var description: String { "\(code.name): \(detail)" }
}

/// A decoded, signature-checked invoice.
public struct Invoice: Hashable, Sendable {
    /// The invoice string as given.
    public let bolt11: String
    /// The signed fields.
    public let fields: InvoiceFields
    /// The payee: the `n` field (signature verified against it) or the key recovered from the signature.
    public let payee: PublicKey
    /// The signature as stored in the invoice (not normalised).
    public let signature: RecoverableSignature
    /// What a strict payer would refuse (missing payment secret, skipped wrong-length fields).
    public let warnings: [InvoiceWarning]

    /// Applies the current spec's payer rules: throws the first warning's cause, if any.
    public func requireStrictlyValid() throws(BOLT11Error) {
        if let warning = warnings.first { throw BOLT11Error(warning.code, warning.detail) }
    }
}
