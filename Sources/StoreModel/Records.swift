import Lightning

/// An invoice this daemon issued, as stored.
public struct InvoiceRecord: Sendable, Hashable {
    public var paymentHash: PaymentHash
    public var bolt11: String
    public var label: String?
    public var amount: MilliSatoshi?
    public var description: String?
    public var descriptionHash: String?
    public var expirySeconds: Int64
    public var status: InvoiceStatus
    public var createdAt: Int64
    public var expiresAt: Int64
    public var paidAt: Int64?
    public var amountReceived: MilliSatoshi?
    /// Secret until the invoice is paid: never returned for an unpaid invoice.
    public var preimage: Preimage?
    /// Caller-supplied JSON kept verbatim.
    public var metadata: String?
    /// Digest of the creation parameters, to make `label` idempotent.
    public var requestFingerprint: String
    public var settleIndex: Int64?
    /// For an invoice made for a fiat amount: the amount, the rate it was converted at, the rate's sources and
    /// time, as compact JSON text (`{"currency":"EUR","amount":"78.50","rate":"85000","sources":[…],"at":…}`).
    public var fiat: String?
    /// The account the payment is credited to (``AccountRecord/treasury`` unless the caller named one).
    public var account: String

    /// Creates a record.
    public init(
        paymentHash: PaymentHash, bolt11: String, label: String?, amount: MilliSatoshi?, description: String?,
        descriptionHash: String?, expirySeconds: Int64, status: InvoiceStatus, createdAt: Int64, expiresAt: Int64,
        paidAt: Int64? = nil, amountReceived: MilliSatoshi? = nil, preimage: Preimage?, metadata: String?,
        requestFingerprint: String, settleIndex: Int64? = nil, fiat: String? = nil,
        account: String = AccountRecord.treasury
    ) {
        self.paymentHash = paymentHash
        self.bolt11 = bolt11
        self.label = label
        self.amount = amount
        self.description = description
        self.descriptionHash = descriptionHash
        self.expirySeconds = expirySeconds
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.paidAt = paidAt
        self.amountReceived = amountReceived
        self.preimage = preimage
        self.metadata = metadata
        self.requestFingerprint = requestFingerprint
        self.settleIndex = settleIndex
        self.fiat = fiat
        self.account = account
    }
}

/// An outgoing payment, as stored. One row per payment hash, ever.
public struct PaymentRecord: Sendable, Hashable {
    public var paymentHash: PaymentHash
    public var bolt11: String
    public var status: PaymentStatus
    public var amount: MilliSatoshi
    public var maxFee: MilliSatoshi
    public var fee: MilliSatoshi?
    public var preimage: Preimage?
    public var failureReason: PaymentFailureReason?
    public var idempotencyKey: String?
    public var createdAt: Int64
    public var completedAt: Int64?
    /// For an any-amount invoice paid with a fiat amount: the amount, the rate it was converted at, the rate's
    /// sources and time, as compact JSON text (as ``InvoiceRecord/fiat``).
    public var fiat: String?
    /// The account that pays: held amount plus fee cap while pending, debited amount plus fee on success
    /// (``AccountRecord/treasury`` unless the caller named one).
    public var account: String

    /// Creates a record.
    public init(
        paymentHash: PaymentHash, bolt11: String, status: PaymentStatus, amount: MilliSatoshi, maxFee: MilliSatoshi,
        fee: MilliSatoshi? = nil, preimage: Preimage? = nil, failureReason: PaymentFailureReason? = nil,
        idempotencyKey: String?, createdAt: Int64, completedAt: Int64? = nil, fiat: String? = nil,
        account: String = AccountRecord.treasury
    ) {
        self.paymentHash = paymentHash
        self.bolt11 = bolt11
        self.status = status
        self.amount = amount
        self.maxFee = maxFee
        self.fee = fee
        self.preimage = preimage
        self.failureReason = failureReason
        self.idempotencyKey = idempotencyKey
        self.createdAt = createdAt
        self.completedAt = completedAt
        self.fiat = fiat
        self.account = account
    }
}

/// One entry of the durable event log. Indexes only grow.
public struct EventRecord: Sendable, Hashable {
    public var index: Int64
    public var type: String
    public var at: Int64
    /// The event's `data` object as JSON text.
    public var data: String

    /// Creates a record.
    public init(index: Int64, type: String, at: Int64, data: String) {
        self.index = index
        self.type = type
        self.at = at
        self.data = data
    }
}

/// An event to append in the same transaction as the state change it reports.
public struct NewEvent: Sendable, Hashable {
    public var type: String
    public var at: Int64
    /// The event's `data` object as JSON text.
    public var data: String

    /// Creates an event.
    public init(type: String, at: Int64, data: String) {
        self.type = type
        self.at = at
        self.data = data
    }
}

/// A page of results and the cursor of the next page (`nil` at the end).
public struct Page<Element: Sendable>: Sendable {
    public var items: [Element]
    public var nextCursor: String?
    /// How many items the whole filtered range holds, when the listing counts them.
    public var total: Int64?

    /// Creates a page.
    public init(items: [Element], nextCursor: String?, total: Int64? = nil) {
        self.items = items
        self.nextCursor = nextCursor
        self.total = total
    }
}
