import BOLT11
import JSONRPC
import Lightning
import Logging
import Rates
import Store

/// Pays invoices, never the same payment hash twice.
///
/// The intent is committed to the store before the backend is called; the store allows one payment row per
/// hash and re-arms it only after a definitive failure. A backend call runs in its own task that records the
/// outcome whether or not the caller is still waiting, so a timeout or a dropped client never loses a result;
/// a dropped client stops the waiting at once (its request task is cancelled), never the payment.
package struct PaymentSender: Sendable {
    /// What a caller asks to pay (`payment.send`).
    package struct SendRequest: Sendable {
        package var bolt11: String
        package var amount: MilliSatoshi?
        /// A fiat amount for an any-amount invoice, instead of ``amount``: converted at the current rate once
        /// no stored payment answers the request.
        package var fiat: FiatAmount?
        package var maxFee: MilliSatoshi?
        package var timeoutSeconds: Int64
        package var idempotencyKey: String?
        /// The account that pays (holds amount plus fee cap while the payment is in flight).
        package var account: String

        /// Creates a request to pay `bolt11`.
        package init(
            bolt11: String, amount: MilliSatoshi? = nil, fiat: FiatAmount? = nil, maxFee: MilliSatoshi? = nil,
            timeoutSeconds: Int64,
            idempotencyKey: String? = nil, account: String = AccountRecord.treasury
        ) {
            self.bolt11 = bolt11
            self.amount = amount
            self.fiat = fiat
            self.maxFee = maxFee
            self.timeoutSeconds = timeoutSeconds
            self.idempotencyKey = idempotencyKey
            self.account = account
        }
    }

    let store: Store
    let backend: any LightningBackend
    let events: EventBus
    let network: Network
    /// This node's public key, to refuse paying invoices of this node that the daemon's invoice book does not hold.
    let nodePubkey: String
    let gate: PaymentGate
    /// The exchange rates for fiat amounts; `nil` when no rate source is configured.
    let rates: RateBook?
    let now: @Sendable () -> Int64
    let logger: Logger

    /// Creates a sender paying through `backend`, recording in `store`.
    package init(
        store: Store, backend: any LightningBackend, events: EventBus, network: Network, nodePubkey: String,
        gate: PaymentGate, rates: RateBook?, now: @escaping @Sendable () -> Int64, logger: Logger
    ) {
        self.store = store
        self.backend = backend
        self.events = events
        self.network = network
        self.nodePubkey = nodePubkey
        self.gate = gate
        self.rates = rates
        self.now = now
        self.logger = logger
    }

    /// Default fee budget: 1% of the amount, at least 10 sat.
    static func defaultMaxFee(for amount: MilliSatoshi) -> MilliSatoshi {
        MilliSatoshi(max(amount.rawValue / 100, 10_000))
    }

    /// Pays `request.bolt11` and returns the payment: succeeded, or still pending when the outcome is not
    /// known by the timeout. A definitive failure throws its reason with the payment in `data.payment`.
    ///
    /// A repeat (same idempotency key, or a payment hash already pending or paid) returns the stored payment
    /// as a replay before any other check: expiry, self-payment, amount rules and start-up reconciliation
    /// cannot turn a payment already made into an error. An invoice this daemon issued for another account is
    /// settled inside the ledger (``settleInside(_:invoice:)``).
    package func send(_ request: SendRequest) async throws -> WriteOutcome<PaymentRecord> {
        let paymentHash = try PayableInvoice.paymentHash(of: request.bolt11)
        if let stored = try await PaymentReplay(store: store).existing(for: request, paymentHash: paymentHash) {
            return .replay(stored)
        }
        guard gate.paymentsAccepted else {
            throw DaemonError(
                .backendUnavailable, "pending payments are being reconciled with the backend",
                data: ["retry_after_s": .integer(BackendErrorMapping.retryAfterSeconds)])
        }
        let terms = try request.fiat.map { try FiatTerms(converting: $0, with: rates) }
        // An invoice of our own invoice book is settled inside the ledger when another account pays it; the
        // node's own key is then expected as its payee.
        let own = try await store.invoice(paymentHash: paymentHash)
        let invoice = try PayableInvoice.check(
            request.bolt11, network: network, nodePubkey: own == nil ? nodePubkey : nil, now: now(),
            amount: terms?.msat ?? request.amount)
        if let own { try Self.requireInternallyPayable(own, by: request.account) }
        let record = PaymentRecord(
            paymentHash: invoice.paymentHash, bolt11: request.bolt11, status: .pending, amount: invoice.amount,
            maxFee: request.maxFee ?? Self.defaultMaxFee(for: invoice.amount), idempotencyKey: request.idempotencyKey,
            createdAt: now(), fiat: terms?.recordText, account: request.account)
        // Registered before the intent is committed: the periodic reconciler skips hashes being attempted, and
        // must never see this pending row without it (it would fail a payment that is about to be paid).
        await gate.beginAttempt(record.paymentHash)
        let started: PaymentRecord
        do {
            switch try await beginPayment(record) {
            case .inFlight(let existing), .succeeded(let existing):
                await gate.endAttempt(record.paymentHash)
                return .replay(existing)
            case .started(let stored): started = stored
            case .refused(let refusal):
                await gate.endAttempt(record.paymentHash)
                throw AccountBook.error(for: refusal)
            }
        } catch {
            await gate.endAttempt(record.paymentHash)
            throw error
        }
        logger.info("payment started", metadata: ["payment_hash": "\(started.paymentHash)"])
        FaultInjection.hit(FaultInjection.afterPaymentIntent)
        let attempt = Task { [self] in
            defer { Task { await gate.endAttempt(started.paymentHash) } }
            if let own, let settled = await settleInside(started, invoice: own) { return settled }
            return await attemptPayment(
                PaymentRequest(
                    invoice: invoice.invoice, amount: started.amount, maxFee: started.maxFee,
                    timeoutSeconds: UInt64(request.timeoutSeconds)),
                record: started)
        }
        let result = await firstOf(attempt, timeout: .seconds(request.timeoutSeconds))
        guard let result else {
            // A caller that went away is not waited for (it held one of the daemon's in-flight slots); the
            // attempt goes on and records its outcome.
            try Task.checkCancellation()
            return .firstCall(try await store.payment(paymentHash: started.paymentHash) ?? started)
        }
        return .firstCall(try result.get())
    }

    /// Commits the intent; a key that another call bound to another hash meanwhile is `idempotency_conflict`
    /// with that payment in `data.existing`.
    private func beginPayment(_ record: PaymentRecord) async throws -> PaymentStart {
        let start: Result<PaymentStart, StoreError>
        do {
            start = .success(try await store.beginPayment(record))
        } catch {
            start = .failure(error)
        }
        switch start {
        case .success(let started): return started
        case .failure(let error) where error.code == .idempotencyConflict:
            guard let key = record.idempotencyKey, let stored = try await store.payment(idempotencyKey: key) else {
                throw DaemonError(.idempotencyConflict, "the idempotency key was used for another invoice")
            }
            throw PaymentReplay.conflict(stored)
        case .failure(let error): throw error
        }
    }

    /// Calls the backend once and records the outcome.
    private func attemptPayment(_ request: PaymentRequest, record: PaymentRecord) async -> Result<
        PaymentRecord, any Error
    > {
        let outcome: PaymentOutcome
        do {
            outcome = try await backend.pay(request)
        } catch let error where error.code == .alreadyPaid || error.code == .selfPayment {
            let ours = try? await backend.payment(for: record.paymentHash)
            outcome = ours ?? .failed(error.code == .selfPayment ? .selfPayment : .incorrectPaymentDetails)
            if ours == nil {
                let stored = try? await complete(record.paymentHash, outcome)
                return .failure(Self.withExisting(BackendErrorMapping.daemonError(error), stored))
            }
        } catch {
            logger.warning(
                "payment outcome unknown; left pending for reconciliation",
                metadata: ["payment_hash": "\(record.paymentHash)", "error": "\(error)"])
            return .failure(
                BackendErrorMapping.daemonError(error).adding(["payment": .object(EventPayloads.payment(record))]))
        }
        FaultInjection.hit(FaultInjection.afterBackendPaid)
        do {
            let stored = try await complete(record.paymentHash, outcome)
            if let reason = stored.failureReason, stored.status == .failed {
                return .failure(Self.failure(reason, stored))
            }
            return .success(stored)
        } catch {
            return .failure(error)
        }
    }

    /// Stores a final outcome (no-op for `.pending`) and wakes waiters; returns the stored payment.
    func complete(_ paymentHash: PaymentHash, _ outcome: PaymentOutcome) async throws -> PaymentRecord {
        let now = now()
        if let (record, event) = try await store.completePayment(
            paymentHash, outcome: outcome, at: now,
            event: { payment in
                EventPayloads.paymentEvent(payment, at: now)
            })
        {
            logger.info(
                "payment \(record.status.rawValue)",
                metadata: ["payment_hash": "\(paymentHash)", "reason": "\(record.failureReason?.rawValue ?? "-")"])
            await events.published(upTo: event.index)
            return record
        }
        guard let record = try await store.payment(paymentHash: paymentHash) else {
            throw DaemonError(.paymentNotFound, "no payment with this payment hash")
        }
        return record
    }

    /// `error` with the stored payment in `data.existing` (for `already_paid`: what this daemon holds).
    static func withExisting(_ error: DaemonError, _ stored: PaymentRecord?) -> DaemonError {
        guard let stored else { return error }
        return error.adding(["existing": .object(EventPayloads.payment(stored))])
    }

    /// The error a definitive payment failure answers: its wire reason (`PaymentFailureMapping`), with the
    /// failed payment in `data.payment`.
    static func failure(_ reason: PaymentFailureReason, _ record: PaymentRecord) -> DaemonError {
        DaemonError(
            PaymentFailureMapping.reason(for: reason), "the payment failed: \(reason.rawValue)",
            data: ["payment": .object(EventPayloads.payment(record))])
    }
}
