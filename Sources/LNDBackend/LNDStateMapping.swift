import BOLT11
import Lightning

/// Turns LND's invoices, payments and node facts into the Lightning module's values. Pure; tested by value.
enum LNDStateMapping {
    /// The network of GetInfo's `chains[0].network`; `nil` for one t4gd does not know (e.g. `simnet`).
    static func network(_ name: String) -> Network? {
        switch name {
        case "mainnet": .mainnet
        case "testnet", "testnet3", "testnet4": .testnet
        case "signet": .signet
        case "regtest": .regtest
        default: nil
        }
    }

    /// The payment failure reason of LND's `failure_reason` enum name.
    static func failureReason(_ name: String?) -> PaymentFailureReason {
        switch name {
        case "FAILURE_REASON_NO_ROUTE": .noRoute
        case "FAILURE_REASON_INSUFFICIENT_BALANCE": .insufficientBalance
        case "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS": .incorrectPaymentDetails
        case "FAILURE_REASON_TIMEOUT": .timeout
        default: .backendError
        }
    }

    /// The outcome a payment update says: `.pending` while in flight; `nil` when LND reports success
    /// without a valid preimage.
    static func outcome(of payment: LNDPayment) -> PaymentOutcome? {
        switch payment.status {
        case "SUCCEEDED":
            guard let preimage = payment.paymentPreimage.flatMap(Preimage.init(hex:)) else { return nil }
            return .succeeded(preimage: preimage, fee: MilliSatoshi(payment.feeMsat?.value ?? 0))
        case "FAILED":
            return .failed(failureReason(payment.failureReason))
        default:
            return .pending
        }
    }

    /// The state of an invoice at unix time `now`. An OPEN invoice past its expiry is `expired` (LND cancels it
    /// shortly after); a CANCELED one is `expired` once its expiry passed, else `canceled`; ACCEPTED (a held
    /// payment) is still `open`.
    static func state(of invoice: LNDInvoice, now: Int64) -> InvoiceState {
        // Saturating: an expiry LND reports beyond the end of time never passes (and never traps).
        let (sum, overflow) = (invoice.creationDate?.value ?? 0).addingReportingOverflow(
            invoice.expiry?.value ?? 86_400)
        let expiresAt = overflow ? Int64.max : sum
        let status: InvoiceStatus =
            switch invoice.state {
            case "SETTLED": .paid
            case "CANCELED": expiresAt <= now ? .expired : .canceled
            case "OPEN": expiresAt <= now ? .expired : .open
            default: .open
            }
        let paid = status == .paid
        let settleIndex = invoice.settleIndex?.value ?? 0
        return InvoiceState(
            status: status,
            amountReceived: paid ? MilliSatoshi(invoice.amtPaidMsat?.value ?? 0) : nil,
            preimage: paid ? invoice.rPreimage.flatMap(Base64.decode).flatMap(Preimage.init(bytes:)) : nil,
            paidAt: paid ? invoice.settleDate?.value : nil,
            settleIndex: paid && settleIndex > 0 ? settleIndex : nil)
    }

    /// The settlement a SETTLED invoice stands for; `nil` for any other state or a malformed one.
    static func settlement(of invoice: LNDInvoice) -> InvoiceSettlement? {
        guard invoice.state == "SETTLED",
            let hash = invoice.rHash.flatMap(Base64.decode).flatMap(PaymentHash.init(bytes:)),
            let preimage = invoice.rPreimage.flatMap(Base64.decode).flatMap(Preimage.init(bytes:)),
            let index = invoice.settleIndex?.value, index > 0
        else { return nil }
        return InvoiceSettlement(
            paymentHash: hash, amountReceived: MilliSatoshi(invoice.amtPaidMsat?.value ?? 0), preimage: preimage,
            paidAt: invoice.settleDate?.value ?? 0, settleIndex: index)
    }
}
