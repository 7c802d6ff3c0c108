import AsyncHTTPClient
import BackendHTTP
import Lightning
import NIOSSL

/// Turns LND's error answers and transport failures into ``BackendError``s. Pure; tested by value.
enum LNDErrorMapping {
    /// The gRPC code and message of an error body, unary (`{"code","message"}`) or streaming
    /// (`{"error":{…}}`); the raw text when it is not JSON.
    static func parse(_ body: [UInt8]) -> (code: Int?, message: String) {
        if let wrapped = try? LNDJSON.decode(LNDStreamMessage<LNDErrorBody>.self, from: body), let error = wrapped.error
        {
            return (error.code, error.message ?? "")
        }
        if let plain = try? LNDJSON.decode(LNDErrorBody.self, from: body), plain.code != nil || plain.message != nil {
            return (plain.code, plain.message ?? "")
        }
        return (nil, String(decoding: body.prefix(300), as: UTF8.self))
    }

    /// The error for a non-2xx answer.
    static func error(status: UInt, body: [UInt8]) -> BackendError {
        let (code, message) = parse(body)
        return classify(status: status, code: code, message: message)
    }

    /// The error for an HTTP status, gRPC code and message. Macaroon problems are HTTP 500 / code 2 in LND,
    /// so the message decides before the status does.
    static func classify(status: UInt, code: Int?, message: String) -> BackendError {
        let text = message.lowercased()
        let detail = "LND answered \(status): \(SecretRedaction.redacted(message))"
        let authTexts = [
            "macaroon", "verification failed", "permission denied", "signature mismatch", "encoding/hex",
            "invalid id", "cannot get macaroon",
        ]
        if authTexts.contains(where: text.contains) || status == 401 || status == 403 || code == 16 || code == 7 {
            return BackendError(.unauthorized, "LND refused the macaroon: \(SecretRedaction.redacted(message))")
        }
        if text.contains("wallet locked") || text.contains("starting up") || status == 503 || code == 14 {
            return BackendError(.unavailable, detail)
        }
        if status == 504 || code == 4 { return BackendError(.timeout, detail) }
        if text.contains("already paid") || text.contains("already settled") {
            return BackendError(.alreadyPaid, detail)
        }
        if text.contains("in transition") || text.contains("payment already exists") {
            return BackendError(.inFlight, detail)
        }
        if text.contains("self-payments not allowed") { return BackendError(.selfPayment, detail) }
        // CancelInvoice answers an unknown hash with 500 / code 2, LookupInvoice with 404 / code 5.
        if status == 404 || code == 5 || text.contains("unable to locate invoice") {
            return BackendError(.notFound, detail)
        }
        if status == 400 || code == 3 || text.contains("not for current active network")
            || text.contains("invoice expired") || text.contains("amount must")
            || text.contains("greater than max expiry")
        {
            return BackendError(.invalidRequest, detail)
        }
        return BackendError(.failure, detail)
    }

    /// Whether an error is LND's own answer for a payment it never saw: TrackPaymentV2's NotFound (code 5)
    /// `payment isn't initiated`. Any other 404 (a proxy, a gateway path, a removed route) says nothing about
    /// the payment, which may have gone out.
    static func isUnknownPayment(code: Int?, message: String) -> Bool {
        code == 5 && message == "payment isn't initiated"
    }

    /// The error for a failure before LND answered: refused connection or TLS failure → `unavailable`,
    /// deadline → `timeout`.
    static func transport(_ error: any Error, operation: String) -> BackendError {
        if let error = error as? BackendError { return error }
        if error is DeadlineExceeded {
            return BackendError(.timeout, "LND did not answer \(operation) before the deadline")
        }
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout {
                return BackendError(.timeout, "LND did not answer \(operation) before the deadline")
            }
            if error == .tlsHandshakeTimeout {
                return BackendError(.unavailable, "TLS handshake with LND timed out (\(operation))")
            }
        }
        if error is NIOSSLError || error is BoringSSLError {
            return BackendError(
                .unavailable, "TLS with LND failed (\(operation)); is tlsCertPath the node's own tls.cert? \(error)")
        }
        return BackendError(
            .unavailable, "cannot reach LND (\(operation)): \(SecretRedaction.redacted(String(describing: error)))")
    }
}
