import Lightning

/// Turns LNbits' payments into the Lightning module's values. Pure; tested by value.
enum LNbitsStateMapping {
    /// The settle index t4gd defines for LNbits, which has none: the microseconds since 1970 of the paid
    /// invoice's `updated_at` (the time LNbits marked it paid).
    static func settleIndex(of payment: LNbitsPayment) -> UInt64? {
        payment.updatedAt.flatMap(LNbitsTimestamp.microseconds).flatMap { $0 > 0 ? UInt64($0) : nil }
    }

    /// The state of an incoming invoice at unix time `now`; `preimage` is the status answer's, used when the
    /// details carry none.
    static func invoiceState(of payment: LNbitsPayment, preimage: String?, now: Int64) -> InvoiceState {
        let expired = payment.expiry.flatMap(LNbitsTimestamp.seconds).map { $0 <= now } ?? false
        switch payment.status {
        case "success":
            return InvoiceState(
                status: .paid, amountReceived: MilliSatoshi(payment.amount),
                preimage: (payment.preimage ?? preimage).flatMap(Preimage.init(hex:)),
                paidAt: payment.updatedAt.flatMap(LNbitsTimestamp.seconds), settleIndex: settleIndex(of: payment))
        case "failed":
            return InvoiceState(
                status: expired ? .expired : .canceled, amountReceived: nil, preimage: nil, paidAt: nil,
                settleIndex: nil)
        default:
            return InvoiceState(
                status: expired ? .expired : .open, amountReceived: nil, preimage: nil, paidAt: nil, settleIndex: nil)
        }
    }

    /// The outcome of an outgoing payment record.
    static func outcome(of payment: LNbitsPayment, preimage: String?) -> PaymentOutcome {
        switch payment.status {
        case "success":
            guard let preimage = (payment.preimage ?? preimage).flatMap(Preimage.init(hex:)) else { return .pending }
            return .succeeded(preimage: preimage, fee: MilliSatoshi(abs(payment.fee ?? 0)))
        case "failed":
            return .failed(.backendError)
        default:
            return .pending
        }
    }

    /// The settlement a paid incoming invoice stands for; `nil` for anything else.
    static func settlement(of payment: LNbitsPayment) -> InvoiceSettlement? {
        guard payment.status == "success", payment.amount > 0, let hash = PaymentHash(hex: payment.paymentHash),
            let preimage = payment.preimage.flatMap(Preimage.init(hex:)), let index = settleIndex(of: payment)
        else { return nil }
        return InvoiceSettlement(
            paymentHash: hash, amountReceived: MilliSatoshi(payment.amount), preimage: preimage,
            paidAt: Int64(index / 1_000_000), settleIndex: index)
    }
}
