import JSONRPC
import Lightning

/// Turns a backend's failure into the error the caller sees: every `BackendError.Code` has its catalogue
/// reason here, and the backend error stays attached as the underlying cause (for the log).
package enum BackendErrorMapping {
    /// Seconds a caller should wait before retrying when the backend is unreachable.
    static let retryAfterSeconds: Int64 = 5

    /// The catalogue reason of a backend failure code; codes the daemon does not single out are `backend_error`.
    static func reason(for code: BackendError.Code) -> RPCErrorReason {
        switch code {
        case .unavailable: .backendUnavailable
        case .timeout: .backendTimeout
        case .alreadyPaid: .alreadyPaid
        case .inFlight: .paymentInFlight
        case .selfPayment: .selfPayment
        case .notFound: .invoiceNotFound
        case .unsupported: .unsupportedByBackend
        case .networkMismatch: .networkMismatch
        default: .backendError
        }
    }

    /// The daemon error of a failed backend call; an error that is not a `BackendError` is `backend_error`.
    package static func daemonError(_ error: any Error) -> DaemonError {
        guard let error = error as? BackendError else {
            return DaemonError(.backendError, "the backend failed", underlying: error)
        }
        let reason = reason(for: error.code)
        switch reason {
        case .backendUnavailable:
            return DaemonError(
                reason, "the Lightning backend is unavailable: \(error.detail)",
                data: ["retry_after_s": .integer(retryAfterSeconds)], underlying: error)
        case .backendTimeout:
            return DaemonError(reason, "the Lightning backend did not answer in time", underlying: error)
        case .alreadyPaid: return DaemonError(reason, "the invoice is already paid", underlying: error)
        case .paymentInFlight: return DaemonError(reason, "a payment to this invoice is in flight", underlying: error)
        case .selfPayment: return DaemonError(reason, "the invoice was issued by this node", underlying: error)
        default: return DaemonError(reason, error.detail, underlying: error)
        }
    }
}
