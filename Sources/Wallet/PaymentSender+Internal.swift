import JSONRPC
import Lightning
import Store

/// Internal settlement: an invoice this daemon issued for one account, paid by another of its accounts, moves
/// money inside the ledger only (`payer -X`, `payee +X`, fee 0), never through the node.
///
/// The invoice must not also be payable over Lightning, or it could be paid twice (once from outside, once from
/// inside). The decision is made once, by the backend, on the payment hash: after the payment intent (with the
/// paying account's hold) is durable, the invoice is canceled at the backend; only then is the settlement
/// written. A backend that reports the invoice already paid wins: the internal payment fails `already_paid`
/// and its hold is released (the Lightning settlement credits the payee through the settlement stream). A crash
/// between the steps leaves the payment pending; the reconciler resumes it the same way (a backend cancel may
/// be repeated).
extension PaymentSender {
    /// Refuses an invoice of this daemon's book that `account` cannot pay internally: one of its own
    /// (`self_payment`), or one that is no longer open.
    static func requireInternallyPayable(_ invoice: InvoiceRecord, by account: String) throws(DaemonError) {
        guard invoice.account != account else {
            throw DaemonError(.selfPayment, "the invoice was created by this daemon for the paying account")
        }
        switch invoice.status {
        case .open: return
        case .paid: throw DaemonError(.alreadyPaid, "the invoice is already paid")
        case .expired: throw DaemonError(.invoiceExpired, "the invoice expired")
        case .canceled: throw DaemonError(.invoiceNotPayable, "the invoice was canceled")
        }
    }

    /// Cancels `invoice` at the backend and settles it with the pending `payment` inside the ledger. `nil` when
    /// the backend cannot cancel invoices (LNbits) or the daemon does not hold the invoice's preimage: the
    /// caller pays through the backend then, which settles an invoice of its own wallet once, internally.
    func settleInside(_ payment: PaymentRecord, invoice: InvoiceRecord) async -> Result<PaymentRecord, any Error>? {
        guard let preimage = invoice.preimage else { return nil }
        let cancel: Result<Void, BackendError>
        do {
            try await backend.cancelInvoice(payment.paymentHash)
            cancel = .success(())
        } catch {
            cancel = .failure(error)
        }
        switch cancel {
        case .success: break
        case .failure(let error) where error.code == .unsupported: return nil
        case .failure(let error) where error.code == .alreadyPaid:
            logger.info(
                "internal settlement lost to a Lightning payment", metadata: ["payment_hash": "\(payment.paymentHash)"])
            let stored = try? await complete(payment.paymentHash, .failed(.alreadyPaid))
            return .failure(Self.withExisting(BackendErrorMapping.daemonError(error), stored))
        case .failure(let error):
            logger.warning(
                "invoice cancel outcome unknown; internal settlement left pending for reconciliation",
                metadata: ["payment_hash": "\(payment.paymentHash)", "error": "\(error)"])
            return .failure(
                BackendErrorMapping.daemonError(error).adding(["payment": .object(EventPayloads.payment(payment))]))
        }
        FaultInjection.hit(FaultInjection.afterInternalCancel)
        do {
            return .success(try await recordInternal(payment.paymentHash, preimage: preimage))
        } catch {
            return .failure(error)
        }
    }

    /// Writes the settlement of a canceled invoice; when the invoice closed meanwhile (canceled by a caller,
    /// expired), the payment fails instead and its hold is released.
    private func recordInternal(_ paymentHash: PaymentHash, preimage: Preimage) async throws -> PaymentRecord {
        let now = now()
        if let settled = try await store.settleInternally(
            paymentHash, preimage: preimage, at: now,
            events: { invoice, payment in
                [
                    EventPayloads.invoiceEvent("invoice.paid", invoice, at: now),
                    EventPayloads.paymentEvent(payment, at: now),
                ]
            })
        {
            logger.info("payment settled internally", metadata: ["payment_hash": "\(paymentHash)"])
            if let last = settled.events.last { await events.published(upTo: last.index) }
            return settled.payment
        }
        guard let payment = try await store.payment(paymentHash: paymentHash) else {
            throw DaemonError(.paymentNotFound, "no payment with this payment hash")
        }
        switch payment.status {
        case .succeeded: return payment
        case .failed: throw Self.failure(payment.failureReason ?? .backendError, payment)
        case .pending: break
        }
        let reason: PaymentFailureReason =
            switch try await store.invoice(paymentHash: paymentHash)?.status {
            case .paid: .alreadyPaid
            case .expired: .invoiceExpired
            default: .incorrectPaymentDetails
            }
        throw Self.failure(reason, try await complete(paymentHash, .failed(reason)))
    }
}
