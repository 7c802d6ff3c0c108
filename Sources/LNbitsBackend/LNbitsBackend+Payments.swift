import BOLT11
import Lightning

extension LNbitsBackend {
    /// `POST /api/v1/payments` with `out: true` and the admin key. LNbits settles invoices of its own wallets
    /// at once; for others it waits up to 5 s and may answer `pending`. LNbits takes no fee limit: its own fee
    /// reserve applies (`maxFee` is not enforced).
    ///
    /// LNbits lets a wallet pay its own invoice. With ``Configuration/OwnInvoiceCheck/lnbits``, an invoice that
    /// LNbits may have issued (signed by a key seen on this LNbits' invoices, or any while none is known:
    /// ``LNbitsSigningKeys``) is first looked up with `GET /api/v1/payments/{hash}`; an invoice of another node
    /// is paid at once. With ``Configuration/OwnInvoiceCheck/store`` (the default) that refusal is left to the
    /// daemon's invoice book. LNbits itself refuses a hash paid before (`already paid`, `still pending`),
    /// whoever issued it.
    ///
    /// Returns `.pending` when `request.timeoutSeconds` pass first. Throws `unauthorized` without an admin key,
    /// `selfPayment` for this wallet's own invoice (when checked here), `alreadyPaid`, `inFlight`, `unsupported`
    /// for amountless invoices, `unavailable` when LNbits cannot be reached.
    public func pay(_ request: PaymentRequest) async throws(BackendError) -> PaymentOutcome {
        guard let adminKey = configuration.adminKey else {
            throw BackendError(.unauthorized, "paying needs the LNbits admin key, and none is configured")
        }
        guard request.invoice.fields.amountMsat != nil else {
            throw BackendError(.unsupported, "LNbits cannot pay amountless invoices")
        }
        guard let hash = PaymentHash(bytes: request.invoice.fields.paymentHash) else {
            throw BackendError(.invalidRequest, "the invoice's payment hash is malformed")
        }
        let payee = request.invoice.payee.compressed
        if configuration.ownInvoiceCheck == .lnbits, signingKeys.withLock({ $0.mayHaveSigned(payee) }) {
            try await refuseKnownHash(hash)
        }
        let deadline = Duration.seconds(Int64(clamping: request.timeoutSeconds))
        let status: UInt
        let bytes: [UInt8]
        do {
            (status, bytes) = try await client.exchange(
                .POST, "/api/v1/payments", key: adminKey, body: LNbitsPayRequest(bolt11: request.invoice.bolt11),
                timeout: deadline)
        } catch  where error.code == .timeout {
            logger.warning(
                "LNbits did not answer the payment in time; it may be in flight", metadata: ["hash": "\(hash)"])
            return .pending
        }
        guard (200..<300).contains(status) else {
            return try LNbitsErrorMapping.payment(status: status, body: bytes).get()
        }
        let payment = try LNbitsClient.decode(LNbitsPayment.self, bytes, what: "the payment")
        if payment.checkingId?.hasPrefix("internal_") == true { signingKeys.withLock { $0.learn(payee) } }
        return LNbitsStateMapping.outcome(of: payment, preimage: nil)
    }

    /// Refuses a hash this wallet knows: its own invoice (`selfPayment`; LNbits would let a wallet pay itself),
    /// or its own earlier payment that succeeded (`alreadyPaid`) or is pending (`inFlight`).
    private func refuseKnownHash(_ hash: PaymentHash) async throws(BackendError) {
        let (status, bytes) = try await client.exchange(
            .GET, "/api/v1/payments/\(hash.hex)", key: configuration.invoiceKey)
        guard (200..<300).contains(status),
            let details = (try? LNbitsJSON.decode(LNbitsPaymentStatus.self, from: bytes))?.details
        else { return }
        if details.amount > 0 { throw BackendError(.selfPayment, "the invoice is this LNbits wallet's own") }
        switch details.status {
        case "success": throw BackendError(.alreadyPaid, "this wallet already paid \(hash.hex)")
        case "pending": throw BackendError(.inFlight, "this wallet's payment to \(hash.hex) is pending")
        default: return
        }
    }

    /// `GET /api/v1/payments/{hash}` with the admin key (the invoice key without one): this wallet's outgoing
    /// payment to the hash.
    ///
    /// - Returns: `nil` when the wallet never paid the hash (an invoice of its own is no payment).
    public func payment(for paymentHash: PaymentHash) async throws(BackendError) -> PaymentOutcome? {
        let (status, bytes) = try await client.exchange(
            .GET, "/api/v1/payments/\(paymentHash.hex)", key: configuration.adminKey ?? configuration.invoiceKey)
        if status == 404 { return nil }
        guard (200..<300).contains(status) else { throw LNbitsErrorMapping.error(status: status, body: bytes) }
        let answer = try LNbitsClient.decode(LNbitsPaymentStatus.self, bytes, what: "payment status")
        guard let details = answer.details, details.amount < 0 else { return nil }
        return LNbitsStateMapping.outcome(of: details, preimage: answer.preimage)
    }
}
