import Lightning

extension LNDBackend {
    /// LND's longest invoice expiry (one year, `invoicesrpc.maxExpiry`).
    static let maxInvoiceExpirySeconds: UInt64 = 365 * 24 * 3600

    /// AddInvoice with a preimage t4gd knows (the caller's, or a fresh random one), so it is returned at once.
    public func createInvoice(_ request: InvoiceRequest) async throws(BackendError) -> CreatedInvoice {
        let preimage = request.preimage ?? Preimage.random()
        guard request.expirySeconds <= Self.maxInvoiceExpirySeconds else {
            throw BackendError(
                .invalidRequest, "LND accepts an invoice expiry of at most \(Self.maxInvoiceExpirySeconds) s")
        }
        let body = LNDAddInvoiceRequest(
            memo: request.descriptionHash == nil ? request.description : nil,
            rPreimage: Base64.standard(preimage.bytes),
            valueMsat: request.amount.map { LNDInt($0.rawValue) },
            descriptionHash: request.descriptionHash.map(Base64.standard),
            expiry: LNDInt(Int64(request.expirySeconds)), private: configuration.privateInvoices)
        let answer = try await client.call(.POST, "/v1/invoices", body: body, as: LNDAddInvoiceResponse.self)
        guard let hashBytes = Base64.decode(answer.rHash), hashBytes == preimage.paymentHash.bytes else {
            throw BackendError(.failure, "LND returned an invoice for another payment hash")
        }
        return CreatedInvoice(
            bolt11: answer.paymentRequest, paymentHash: preimage.paymentHash, preimage: preimage,
            addIndex: answer.addIndex?.value)
    }

    /// LookupInvoice (`GET /v1/invoice/{hex}`).
    ///
    /// - Throws: `notFound` when LND knows no invoice with this hash.
    public func invoice(for paymentHash: PaymentHash) async throws(BackendError) -> InvoiceState {
        let invoice = try await client.call(.GET, "/v1/invoice/\(paymentHash.hex)", as: LNDInvoice.self)
        return LNDStateMapping.state(of: invoice, now: clock())
    }

    /// CancelInvoice (`POST /v2/invoices/cancel`): an open invoice becomes canceled; canceling twice is fine.
    ///
    /// - Throws: `alreadyPaid` for a settled invoice, `notFound` for an unknown one.
    public func cancelInvoice(_ paymentHash: PaymentHash) async throws(BackendError) {
        let body = LNDCancelInvoiceRequest(paymentHash: Base64.standard(paymentHash.bytes))
        let (status, bytes) = try await client.exchange(.POST, "/v2/invoices/cancel", body: body)
        guard (200..<300).contains(status) else { throw LNDErrorMapping.error(status: status, body: bytes) }
    }
}
