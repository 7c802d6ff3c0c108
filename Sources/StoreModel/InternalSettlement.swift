import Lightning

/// What ``StoreEngine/settleInternally(_:preimage:at:events:)`` wrote: an invoice of this daemon paid by one
/// of its accounts, inside the ledger.
public struct InternalSettlement: Sendable {
    /// The invoice, now `paid` for the payment's amount, with its preimage.
    public var invoice: InvoiceRecord
    /// The payment, now `succeeded` with fee 0 and the invoice's preimage.
    public var payment: PaymentRecord
    /// The events appended in the same transaction, in order: the entry's `account.debited` and
    /// `account.credited`, then those the caller asked for.
    public var events: [EventRecord]

    /// Creates the result of an internal settlement.
    public init(invoice: InvoiceRecord, payment: PaymentRecord, events: [EventRecord]) {
        self.invoice = invoice
        self.payment = payment
        self.events = events
    }
}
