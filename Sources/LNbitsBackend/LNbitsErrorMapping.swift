import AsyncHTTPClient
import BackendHTTP
import Lightning
import NIOSSL

/// Turns LNbits' error answers and transport failures into ``BackendError``s and payment outcomes. Pure;
/// tested by value.
enum LNbitsErrorMapping {
    /// The message and payment `status` of an error body: `{"detail": "…", "status": "failed"}`, a validation
    /// list, `{"error": "…"}` (rate limit) or `{"message": "…"}`; the raw text otherwise.
    static func parse(_ body: [UInt8]) -> (message: String, status: String?) {
        struct Body: Decodable {
            struct Item: Decodable { var msg: String? }
            var detail: String?
            var detailItems: [Item]?
            var error: String?
            var message: String?
            var status: String?

            enum CodingKeys: String, CodingKey { case detail, error, message, status }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                detail = try? container.decodeIfPresent(String.self, forKey: .detail)
                detailItems = try? container.decodeIfPresent([Item].self, forKey: .detail)
                error = try? container.decodeIfPresent(String.self, forKey: .error)
                message = try? container.decodeIfPresent(String.self, forKey: .message)
                status = try? container.decodeIfPresent(String.self, forKey: .status)
            }
        }
        guard let body = try? LNbitsJSON.decode(Body.self, from: body) else {
            return (String(decoding: body.prefix(300), as: UTF8.self), nil)
        }
        let message =
            body.detail ?? body.detailItems?.compactMap(\.msg).joined(separator: "; ") ?? body.error ?? body.message
            ?? ""
        return (message, body.status)
    }

    /// The error for a non-2xx answer to anything but a payment.
    static func error(status: UInt, body: [UInt8]) -> BackendError {
        let (message, _) = parse(body)
        return classify(status: status, message: message)
    }

    /// The error for an HTTP status and LNbits' message.
    static func classify(status: UInt, message: String) -> BackendError {
        let text = message.lowercased()
        let detail = "LNbits answered \(status): \(SecretRedaction.redacted(message))"
        switch status {
        case 401, 403: return BackendError(.unauthorized, detail)
        case 404 where text.contains("wallet not found"): return BackendError(.unauthorized, detail)
        case 404: return BackendError(.notFound, detail)
        case 429, 502, 503: return BackendError(.unavailable, detail)
        case 504: return BackendError(.timeout, detail)
        default: break
        }
        if text.contains("already paid") { return BackendError(.alreadyPaid, detail) }
        if text.contains("still pending") { return BackendError(.inFlight, detail) }
        if text.contains("amountless") { return BackendError(.unsupported, detail) }
        if status == 400 || text.contains("decoding failed") || text.contains("too high") {
            return BackendError(.invalidRequest, detail)
        }
        return BackendError(.failure, detail)
    }

    /// What a refused payment (non-2xx to `POST /api/v1/payments` with `out: true`) means: a definite failure
    /// with its reason, still pending (a 520 saying so, or a 500/504 that may follow the payment), or an
    /// error to throw.
    static func payment(status: UInt, body: [UInt8]) -> Result<PaymentOutcome, BackendError> {
        let (message, paymentStatus) = parse(body)
        let text = message.lowercased()
        guard status == 520 else {
            let error = classify(status: status, message: message)
            // A 500 (an exception in LNbits) or 504 may come after the funding source took the payment.
            if status >= 500, error.code == .failure || error.code == .timeout { return .success(.pending) }
            return .failure(error)
        }
        if text.contains("insufficient balance") || text.contains("reserve at least") {
            return .success(.failed(.insufficientBalance))
        }
        if text.contains("only internal invoices") { return .success(.failed(.noRoute)) }
        if text.contains("expired") { return .success(.failed(.invoiceExpired)) }
        let error = classify(status: status, message: message)
        if error.code != .failure { return .failure(error) }
        switch paymentStatus {
        case "failed": return .success(.failed(.backendError))
        case "pending": return .success(.pending)
        default: return .failure(error)
        }
    }

    /// The error for a failure before LNbits answered: refused connection or TLS failure → `unavailable`,
    /// deadline → `timeout`.
    static func transport(_ error: any Error, operation: String) -> BackendError {
        if let error = error as? BackendError { return error }
        if error is DeadlineExceeded {
            return BackendError(.timeout, "LNbits did not answer \(operation) before the deadline")
        }
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout {
            return BackendError(.timeout, "LNbits did not answer \(operation) before the deadline")
        }
        if error is NIOSSLError || error is BoringSSLError {
            return BackendError(.unavailable, "TLS with LNbits failed (\(operation)): \(error)")
        }
        return BackendError(
            .unavailable, "cannot reach LNbits (\(operation)): \(SecretRedaction.redacted(String(describing: error)))")
    }
}
