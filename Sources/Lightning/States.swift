/// Where an invoice stands.
public enum InvoiceStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case open, paid, expired, canceled

    /// Whether the invoice can no longer change.
    public var isFinal: Bool { self != .open }
}

/// Where an outgoing payment stands.
public enum PaymentStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case pending, succeeded, failed
}

/// Why a payment failed, as the RPC contract names it.
public enum PaymentFailureReason: String, Sendable, Hashable, CaseIterable, Codable {
    case noRoute = "no_route"
    case insufficientBalance = "insufficient_balance"
    case incorrectPaymentDetails = "incorrect_payment_details"
    case timeout
    case invoiceExpired = "invoice_expired"
    case selfPayment = "self_payment"
    case backendError = "backend_error"
    /// The daemon stopped (a crash, a kill) after storing the intent and before the backend received the
    /// payment; the backend has no record of it, so no money moved and paying the invoice again is safe.
    case notSent = "not_sent"
    /// An internal settlement lost the invoice to a payment over Lightning: the backend reported the invoice
    /// paid when the daemon asked it to cancel the invoice, so the paying account was not debited.
    case alreadyPaid = "already_paid"
}
