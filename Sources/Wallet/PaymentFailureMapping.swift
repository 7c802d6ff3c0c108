import JSONRPC
import Lightning

/// The wire reason of each stored payment failure reason. The stored names (`failure_reason` of a payment)
/// and the catalogue's are separate vocabularies: a failure the caller can act on keeps its own reason, the
/// backend's and the never-sent ones are `payment_failed`, a timeout is `payment_timeout`.
enum PaymentFailureMapping {
    /// The catalogue reason a payment that failed for `reason` answers with.
    static func reason(for reason: PaymentFailureReason) -> RPCErrorReason {
        switch reason {
        case .noRoute: .noRoute
        case .insufficientBalance: .insufficientBalance
        case .incorrectPaymentDetails: .incorrectPaymentDetails
        case .timeout: .paymentTimeout
        case .invoiceExpired: .invoiceExpired
        case .selfPayment: .selfPayment
        case .alreadyPaid: .alreadyPaid
        case .backendError, .notSent: .paymentFailed
        }
    }
}
