import BOLT11
import JSONRPC
import Lightning
import Store

/// Finds the payment an earlier `payment.send` already stored for a request, before any check that depends on
/// time or on the backend (expiry, self-payment, amount rules, reconciliation): a repeat returns the stored
/// payment whatever happened since.
///
/// The idempotency key is looked up first: a key stored with other parameters (bolt11, amount or fee cap) is
/// `idempotency_conflict` with the stored payment in `data.existing`. Then the payment hash: a hash already
/// pending or paid is never attempted again. A failed payment is not a replay: paying it again is safe (the
/// backend said it failed, or it never reached the backend: `not_sent`).
struct PaymentReplay: Sendable {
    let store: Store

    /// The stored payment that answers `request` (pending or succeeded), or `nil` when the request is new or
    /// re-pays a failed payment.
    func existing(for request: PaymentSender.SendRequest, paymentHash: PaymentHash) async throws -> PaymentRecord? {
        if let key = request.idempotencyKey, let stored = try await store.payment(idempotencyKey: key) {
            guard Self.sameRequest(request, stored, paymentHash: paymentHash) else {
                throw Self.conflict(stored)
            }
            if stored.status != .failed { return stored }
        }
        guard let stored = try await store.payment(paymentHash: paymentHash), stored.status != .failed else {
            return nil
        }
        return stored
    }

    /// `idempotency_conflict` naming the payment stored under the key.
    static func conflict(_ stored: PaymentRecord) -> DaemonError {
        DaemonError(
            "idempotency_conflict", "the idempotency key was used for another payment request",
            data: ["existing": .object(EventPayloads.payment(stored))])
    }

    /// Whether `request` repeats the one stored: the same invoice and paying account, and the same amount and
    /// fee cap where the repeat states them.
    private static func sameRequest(
        _ request: PaymentSender.SendRequest, _ stored: PaymentRecord, paymentHash: PaymentHash
    ) -> Bool {
        stored.paymentHash == paymentHash && stored.bolt11.lowercased() == request.bolt11.lowercased()
            && stored.account == request.account && (request.amount == nil || request.amount == stored.amount)
            && (request.maxFee == nil || request.maxFee == stored.maxFee)
    }
}
