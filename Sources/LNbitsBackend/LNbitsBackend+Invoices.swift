import BOLT11
import Lightning

extension LNbitsBackend {
    /// `POST /api/v1/payments` with `out: false`. LNbits makes its own preimage (`preimage` is `nil`), takes
    /// whole satoshi only and no amountless invoices.
    ///
    /// - Throws: `unsupported` without an amount, `invalidRequest` for a fraction of a satoshi,
    ///   `networkMismatch` when LNbits issued the invoice for another network than configured.
    public func createInvoice(_ request: InvoiceRequest) async throws(BackendError) -> CreatedInvoice {
        guard let amount = request.amount, amount > .zero else {
            throw BackendError(.unsupported, "LNbits cannot issue amountless invoices")
        }
        guard amount.rawValue % 1000 == 0 else {
            throw BackendError(.invalidRequest, "LNbits invoices are in whole satoshi, not \(amount)")
        }
        let body = LNbitsCreateInvoiceRequest(
            amount: amount.sat, memo: request.descriptionHash == nil ? request.description : nil,
            expiry: Int64(clamping: request.expirySeconds), descriptionHash: request.descriptionHash?.hex)
        let payment = try await client.call(
            .POST, "/api/v1/payments", key: configuration.invoiceKey, body: body, as: LNbitsPayment.self)
        guard let bolt11 = payment.bolt11, let hash = PaymentHash(hex: payment.paymentHash) else {
            throw BackendError(.failure, "LNbits returned an invoice without bolt11 or payment hash")
        }
        let invoice: Invoice
        do {
            invoice = try Invoice(bolt11: bolt11)
        } catch {
            throw BackendError(.failure, "LNbits returned an invoice t4gd cannot decode: \(error.code.name)")
        }
        guard invoice.fields.network == configuration.network else {
            throw BackendError(
                .networkMismatch,
                "LNbits issues \(invoice.fields.network.rawValue) invoices, t4gd is configured for \(configuration.network)"
            )
        }
        guard invoice.fields.paymentHash == hash.bytes else {
            throw BackendError(.failure, "LNbits returned an invoice for another payment hash")
        }
        signingKeys.withLock { $0.learn(invoice.payee.compressed) }
        return CreatedInvoice(bolt11: bolt11, paymentHash: hash, preimage: nil, addIndex: nil)
    }

    /// `GET /api/v1/payments/{hash}` with the invoice key.
    ///
    /// - Throws: `notFound` when the wallet issued no invoice with this hash.
    public func invoice(for paymentHash: PaymentHash) async throws(BackendError) -> InvoiceState {
        let (status, bytes) = try await client.exchange(
            .GET, "/api/v1/payments/\(paymentHash.hex)", key: configuration.invoiceKey)
        let notFound = BackendError(.notFound, "no invoice \(paymentHash.hex) in this LNbits wallet")
        if status == 404 { throw notFound }
        guard (200..<300).contains(status) else { throw LNbitsErrorMapping.error(status: status, body: bytes) }
        let answer = try LNbitsClient.decode(LNbitsPaymentStatus.self, bytes, what: "payment status")
        guard let details = answer.details, details.amount > 0 else { throw notFound }
        return LNbitsStateMapping.invoiceState(of: details, preimage: answer.preimage, now: clock())
    }

    /// LNbits cannot cancel a regular invoice: always `unsupported`.
    public func cancelInvoice(_ paymentHash: PaymentHash) async throws(BackendError) {
        throw BackendError(.unsupported, "LNbits cannot cancel invoices; let it expire")
    }
}
