import JSONRPC
import Lightning

/// Turns a backend's failure into the RPC error the caller sees.
package enum BackendErrorMapping {
    /// Seconds a caller should wait before retrying when the backend is unreachable.
    static let retryAfterSeconds: Int64 = 5

    package static func daemonError(_ error: any Error) -> DaemonError {
        guard let error = error as? BackendError else {
            return DaemonError("backend_error", "the backend failed")
        }
        switch error.code {
        case .unavailable:
            return DaemonError(
                "backend_unavailable", "the Lightning backend is unavailable: \(error.detail)",
                data: ["retry_after_s": .integer(retryAfterSeconds)])
        case .timeout: return DaemonError("backend_timeout", "the Lightning backend did not answer in time")
        case .alreadyPaid: return DaemonError("already_paid", "the invoice is already paid")
        case .inFlight: return DaemonError("payment_in_flight", "a payment to this invoice is in flight")
        case .selfPayment: return DaemonError("self_payment", "the invoice was issued by this node")
        case .notFound: return DaemonError("invoice_not_found", error.detail)
        case .unsupported: return DaemonError("unsupported_by_backend", error.detail)
        case .networkMismatch: return DaemonError("network_mismatch", error.detail)
        default: return DaemonError("backend_error", error.detail)
        }
    }
}
