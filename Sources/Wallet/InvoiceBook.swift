import BOLT11
import Foundation
import JSONRPC
import Lightning
import Logging
import Rates
import Secp256k1
import Store

/// Creates, reads, waits for and cancels the invoices this daemon issues.
package struct InvoiceBook: Sendable {
    /// What a caller asks to invoice (`invoice.create`).
    package struct CreateRequest: Sendable {
        package var amount: MilliSatoshi?
        /// A fiat amount instead of ``amount``: converted at the current rate when the invoice is made.
        package var fiat: FiatAmount?
        package var description: String?
        package var descriptionHash: [UInt8]?
        package var expirySeconds: Int64
        package var label: String?
        /// Caller JSON kept locally, as compact text.
        package var metadata: String?
        /// The account credited when the invoice is paid.
        package var account: String

        /// Creates a request; a nil amount (and no fiat) asks for an any-amount invoice.
        package init(
            amount: MilliSatoshi? = nil, fiat: FiatAmount? = nil, description: String? = nil,
            descriptionHash: [UInt8]? = nil,
            expirySeconds: Int64, label: String? = nil, metadata: String? = nil,
            account: String = AccountRecord.treasury
        ) {
            self.amount = amount
            self.fiat = fiat
            self.description = description
            self.descriptionHash = descriptionHash
            self.expirySeconds = expirySeconds
            self.label = label
            self.metadata = metadata
            self.account = account
        }
    }

    let store: Store
    let backend: any LightningBackend
    let events: EventBus
    /// The exchange rates for fiat amounts; `nil` when no rate source is configured.
    let rates: RateBook?
    let now: @Sendable () -> Int64
    let logger: Logger

    /// Creates the invoice book over `store` and `backend`, waking waiters through `events`.
    package init(
        store: Store, backend: any LightningBackend, events: EventBus, rates: RateBook?,
        now: @escaping @Sendable () -> Int64, logger: Logger
    ) {
        self.store = store
        self.backend = backend
        self.events = events
        self.rates = rates
        self.now = now
        self.logger = logger
    }

    /// Creates an invoice at the backend and stores it. A label already used with the same parameters returns
    /// that invoice as a replay (no backend call); with other parameters it fails with `label_conflict`, the
    /// stored invoice in `data.existing`. A fiat amount is part of those parameters as the caller gave it, so a
    /// replay after the rate moved returns the first invoice, with the msat amount and the rate it was made at.
    package func create(_ request: CreateRequest) async throws -> WriteOutcome<InvoiceRecord> {
        let fingerprint = Self.fingerprint(request)
        if let label = request.label, let existing = try await store.invoice(label: label) {
            guard existing.requestFingerprint == fingerprint else { throw Self.labelConflict(existing) }
            return .replay(existing)
        }
        try await AccountBook.requireReceiving(request.account, store: store, now: now())
        let terms = try request.fiat.map { try FiatTerms(converting: $0, with: rates) }
        let amount = terms?.msat ?? request.amount
        let preimage = Preimage.random()
        let created: CreatedInvoice
        do {
            created = try await backend.createInvoice(
                InvoiceRequest(
                    amount: amount, description: request.description, descriptionHash: request.descriptionHash,
                    expirySeconds: UInt64(request.expirySeconds), preimage: preimage))
        } catch {
            throw BackendErrorMapping.daemonError(error)
        }
        let decoded = try created.signedInProcess ?? Self.decode(created.bolt11)
        guard decoded.fields.paymentHash == created.paymentHash.bytes else {
            throw DaemonError("backend_error", "the backend's invoice does not carry the payment hash it reported")
        }
        let createdAt = Int64(clamping: decoded.fields.timestamp)
        let record = InvoiceRecord(
            paymentHash: created.paymentHash, bolt11: created.bolt11, label: request.label, amount: amount,
            description: request.description, descriptionHash: request.descriptionHash?.hex,
            expirySeconds: request.expirySeconds, status: .open, createdAt: createdAt,
            expiresAt: Int64(clamping: decoded.fields.expiresAt), preimage: created.preimage,
            metadata: request.metadata, requestFingerprint: fingerprint, fiat: terms?.recordText,
            account: request.account)
        switch try await insert(record) {
        case .created(let stored):
            logger.info("invoice created", metadata: ["payment_hash": "\(stored.paymentHash)"])
            return .firstCall(stored)
        case .existing(let stored):
            return .replay(stored)
        }
    }

    /// Stores a new invoice; a label a concurrent call took with other parameters is `label_conflict`.
    private func insert(_ record: InvoiceRecord) async throws -> InvoiceInsertion {
        do {
            return try await store.createInvoice(record)
        } catch let error where error.code == .labelConflict {
            guard let label = record.label, let existing = try? await store.invoice(label: label) else { throw error }
            throw Self.labelConflict(existing)
        }
    }

    /// `label_conflict` naming the invoice that holds the label.
    private static func labelConflict(_ existing: InvoiceRecord) -> DaemonError {
        DaemonError(
            "label_conflict", "label is already used by an invoice with other parameters",
            data: ["existing": .object(EventPayloads.invoice(existing))])
    }

    /// Waits until the invoice is no longer open or `timeout` passes; returns its latest state.
    package func wait(for paymentHash: PaymentHash, timeout: Duration) async throws -> InvoiceRecord {
        let deadline = ContinuousClock.now + timeout
        while true {
            let seen = await events.latest
            guard let record = try await store.invoice(paymentHash: paymentHash) else {
                throw DaemonError("invoice_not_found", "no invoice with this payment hash")
            }
            let remaining = deadline - ContinuousClock.now
            if record.status.isFinal || remaining <= .zero { return record }
            _ = await events.wait(after: seen, timeout: remaining)
            try Task.checkCancellation()
        }
    }

    /// Cancels an open invoice at the backend and in the store. A canceled invoice is returned as a replay.
    package func cancel(_ paymentHash: PaymentHash) async throws -> WriteOutcome<InvoiceRecord> {
        guard let record = try await store.invoice(paymentHash: paymentHash) else {
            throw DaemonError("invoice_not_found", "no invoice with this payment hash")
        }
        if record.status == .canceled { return .replay(record) }
        guard record.status == .open else {
            throw DaemonError("invoice_not_open", "the invoice is \(record.status.rawValue)")
        }
        do {
            try await backend.cancelInvoice(paymentHash)
        } catch {
            throw BackendErrorMapping.daemonError(error)
        }
        let now = now()
        if let (closed, event) = try await store.closeInvoice(
            paymentHash, as: .canceled,
            event: { invoice in
                EventPayloads.invoiceEvent("invoice.canceled", invoice, at: now)
            })
        {
            await events.published(upTo: event.index)
            return .firstCall(closed)
        }
        return .replay(try await store.invoice(paymentHash: paymentHash) ?? record)
    }

    /// Records a settlement reported by the backend (idempotent) and wakes waiters.
    func settle(_ settlement: InvoiceSettlement) async throws {
        let changed = try await store.markInvoicePaid(
            settlement.paymentHash, amountReceived: settlement.amountReceived, preimage: settlement.preimage,
            paidAt: settlement.paidAt, settleIndex: Int64(clamping: settlement.settleIndex)
        ) { invoice in
            EventPayloads.invoiceEvent("invoice.paid", invoice, at: settlement.paidAt)
        }
        if let (_, event) = changed {
            FaultInjection.hit(FaultInjection.afterInvoicePaid)
            logger.info("invoice paid", metadata: ["payment_hash": "\(settlement.paymentHash)"])
            await events.published(upTo: event.index)
        }
    }

    /// Marks every open invoice past its expiry as expired; returns the earliest expiry still ahead.
    func expireDue() async throws -> Int64? {
        let now = now()
        for hash in try await store.expiredOpenInvoices(now: now) {
            if let (_, event) = try await store.closeInvoice(
                hash, as: .expired,
                event: { invoice in
                    EventPayloads.invoiceEvent("invoice.expired", invoice, at: now)
                })
            {
                await events.published(upTo: event.index)
            }
        }
        return try await store.nextInvoiceExpiry()
    }

    /// Decodes and verifies an invoice a remote backend returned.
    private static func decode(_ bolt11: String) throws(DaemonError) -> Invoice {
        do {
            return try Invoice(bolt11: bolt11)
        } catch {
            throw DaemonError("backend_error", "the backend returned an invoice that does not decode: \(error.code)")
        }
    }

    /// A digest of everything that defines an invoice request, so a repeated label can be recognised.
    static func fingerprint(_ request: CreateRequest) -> String {
        let parts: [String] = [
            request.fiat.map { "fiat \($0.currency.code) \($0.text)" } ?? request.amount.map { "\($0.rawValue)" }
                ?? "-",
            request.description ?? "-",
            request.descriptionHash?.hex ?? "-", "\(request.expirySeconds)", request.metadata ?? "-",
        ]
        // An invoice of @treasury keeps the fingerprint it had before accounts existed (labels stay replayable).
        let account = request.account == AccountRecord.treasury ? [] : ["account " + request.account]
        return RequestFingerprint.of(parts + account)
    }
}
