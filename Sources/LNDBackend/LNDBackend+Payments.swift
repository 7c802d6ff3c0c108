import AsyncHTTPClient
import BOLT11
import BackendHTTP
import Lightning

extension LNDBackend {
    /// SendPaymentV2 (`POST /v2/router/send`), following its update stream until SUCCEEDED or FAILED.
    ///
    /// Returns `.pending` when `request.timeoutSeconds` pass first, when the stream breaks after LND took the
    /// payment, when LND's answer did not arrive in time, or when LND answered with an error that is none of
    /// its refusals (it may have taken the payment): ``payment(for:)`` tells the outcome later. An expired
    /// invoice is `.failed(.invoiceExpired)`. Throws `alreadyPaid` / `inFlight` for LND's 409 duplicates,
    /// `selfPayment` for the node's own invoice, `invalidRequest` for an invoice LND refuses (network, amount),
    /// `unauthorized`, and `unavailable` when LND could not be reached (nothing was sent).
    public func pay(_ request: PaymentRequest) async throws(BackendError) -> PaymentOutcome {
        let timeoutSeconds = Int32(clamping: configuration.paymentTimeout.components.seconds)
        let body = LNDSendPaymentRequest(
            paymentRequest: request.invoice.bolt11,
            amtMsat: request.invoice.fields.amountMsat == nil ? LNDInt(request.amount.rawValue) : nil,
            feeLimitMsat: LNDInt(request.maxFee.rawValue), timeoutSeconds: max(timeoutSeconds, 1),
            noInflightUpdates: false)
        let wait = Duration.seconds(Int64(clamping: request.timeoutSeconds))
        let hash = PaymentHash(bytes: request.invoice.fields.paymentHash)?.hex ?? "?"
        let start: LNDClient.StreamStart
        do {
            start = try await client.stream(.POST, "/v2/router/send", body: body, headTimeout: wait)
        } catch  where error.code == .timeout {
            logger.warning("LND did not answer the payment in time; it may be in flight", metadata: ["hash": "\(hash)"])
            return .pending
        }
        switch start {
        case .rejected(let status, let bytes):
            let (code, message) = LNDErrorMapping.parse(bytes)
            if message.lowercased().contains("invoice expired") { return .failed(.invoiceExpired) }
            let error = LNDErrorMapping.classify(status: status, code: code, message: message)
            guard error.code == .failure || error.code == .timeout else { throw error }
            // An error LND does not give for a refused request: it may have taken the payment first.
            logger.warning(
                "LND answered the payment with an unexpected error; it may be in flight",
                metadata: ["hash": "\(hash)", "error": "\(error)"])
            return .pending
        case .open(let response):
            return try await follow(response, wait: wait, hash: hash)
        }
    }

    /// Reads payment updates until a final one, the end of the stream or `wait`.
    private func follow(_ response: HTTPClientResponse, wait: Duration, hash: String)
        async throws(BackendError) -> PaymentOutcome
    {
        let logger = logger
        do {
            return try await withDeadline(wait) { () async throws -> PaymentOutcome in
                var outcome = PaymentOutcome.pending
                _ = try await LNDClient.readLines(of: response, as: LNDPayment.self) { message in
                    if let error = message.error {
                        logger.warning(
                            "LND ended the payment stream with an error; the payment may be in flight",
                            metadata: ["hash": "\(hash)", "error": "\(SecretRedaction.redacted(error.message ?? ""))"])
                        return true
                    }
                    guard let payment = message.result else { return false }
                    guard let result = LNDStateMapping.outcome(of: payment) else {
                        throw BackendError(.failure, "LND reported success without a valid preimage")
                    }
                    outcome = result
                    return result != .pending
                }
                return outcome
            }
        } catch let error as BackendError {
            throw error
        } catch is DeadlineExceeded {
            return .pending
        } catch {
            logger.warning(
                "the payment stream broke; the payment may be in flight",
                metadata: ["hash": "\(hash)", "error": "\(error)"])
            return .pending
        }
    }

    /// TrackPaymentV2 (`GET /v2/router/track/{base64url hash}`): its first update is the current state.
    /// In-flight updates are asked for (`no_inflight_updates=false`): with `true` LND would send nothing until
    /// the payment ends.
    ///
    /// - Returns: `nil` only for LND's exact answer for a payment it never saw (404, code 5, "payment isn't
    ///   initiated").
    /// - Throws: `failure` for any other not-found answer (a proxy's or gateway's 404): the payment may have gone
    ///   out, so it must stay pending; logged as an error for the operator.
    public func payment(for paymentHash: PaymentHash) async throws(BackendError) -> PaymentOutcome? {
        let path = "/v2/router/track/\(Base64.urlSafe(paymentHash.bytes))?no_inflight_updates=false"
        let timeout = configuration.requestTimeout
        switch try await client.stream(.GET, path, headTimeout: timeout) {
        case .rejected(let status, let bytes):
            let (code, message) = LNDErrorMapping.parse(bytes)
            if LNDErrorMapping.isUnknownPayment(code: code, message: message) { return nil }
            throw ambiguousNotFound(LNDErrorMapping.classify(status: status, code: code, message: message), paymentHash)
        case .open(let response):
            do {
                return try await withDeadline(timeout) { () async throws -> PaymentOutcome? in
                    var outcome: PaymentOutcome?
                    var unknown = false
                    _ = try await LNDClient.readLines(of: response, as: LNDPayment.self) { message in
                        if let error = message.error {
                            unknown = LNDErrorMapping.isUnknownPayment(code: error.code, message: error.message ?? "")
                            if unknown { return true }
                            throw LNDErrorMapping.classify(status: 200, code: error.code, message: error.message ?? "")
                        }
                        guard let payment = message.result else { return false }
                        guard let result = LNDStateMapping.outcome(of: payment) else {
                            throw BackendError(.failure, "LND reported success without a valid preimage")
                        }
                        outcome = result
                        return true
                    }
                    if unknown { return nil }
                    guard let outcome else {
                        throw BackendError(.unavailable, "LND ended the payment track before its first update")
                    }
                    return outcome
                }
            } catch {
                throw ambiguousNotFound(LNDErrorMapping.transport(error, operation: "track payment"), paymentHash)
            }
        }
    }

    /// A not-found answer that is not LND's own for an unknown payment becomes a `failure` (the payment stays
    /// pending) and an error-level log line; other errors pass unchanged.
    private func ambiguousNotFound(_ error: BackendError, _ paymentHash: PaymentHash) -> BackendError {
        guard error.code == .notFound else { return error }
        logger.error(
            "an ambiguous not-found answer while tracking a payment; it stays pending until LND itself answers",
            metadata: ["payment_hash": "\(paymentHash.hex)", "error": "\(error)"])
        return BackendError(.failure, "ambiguous answer while tracking the payment: \(error.detail)")
    }
}
