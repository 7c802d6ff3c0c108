import Lightning
import Logging
import ServiceLifecycle
import Store

/// Resolves payments left `pending` (by a crash, a lost connection or a timeout) by asking the backend.
///
/// At start-up it runs before new payments are accepted; afterwards it keeps resolving what is still pending,
/// skipping hashes whose backend call is running in this process, and hashes whose attempt another live
/// instance sharing the store owns (that instance may be about to call the backend: failing its payment here
/// could let a second send pay the hash again). A hash the backend never saw is failed as `not_sent` (the
/// daemon stopped before the backend received it: nothing was sent, so paying it again is safe). An attempt
/// whose owner stopped sending heartbeats is resolved by any instance after ``InstanceHeartbeat/lease``; a
/// restarted instance resolves its predecessor's at once (claiming the name forgets the predecessor's
/// heartbeats). An internal settlement (the invoice is this daemon's own) is resumed rather than asked about:
/// the invoice is canceled at the backend again and the settlement written, or the payment fails `already_paid`
/// when the invoice was paid over Lightning first. Owners are processes (``InstanceOwner``), not names: a second process under the same name never
/// resolves another live process's attempts.
package struct PaymentReconciler: Service {
    let store: Store
    let backend: any LightningBackend
    let sender: PaymentSender
    let gate: PaymentGate
    let now: @Sendable () -> Int64
    let interval: Duration
    let logger: Logger

    /// Creates a reconciler that passes over the pending payments every `interval`.
    package init(
        store: Store, backend: any LightningBackend, sender: PaymentSender, gate: PaymentGate,
        now: @escaping @Sendable () -> Int64, interval: Duration, logger: Logger
    ) {
        self.store = store
        self.backend = backend
        self.sender = sender
        self.gate = gate
        self.now = now
        self.interval = interval
        self.logger = logger
    }

    /// Reconciles at start, opens the gate once every pending payment is resolved, then every `interval`.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let resolvedAll = await reconcileOnce()
                if resolvedAll { await gate.acceptPayments() }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One pass over the pending payments; `true` when the backend answered for every one of them.
    func reconcileOnce() async -> Bool {
        let pending: [PaymentRecord]
        do {
            pending = try await store.pendingPayments()
        } catch {
            // A stop interrupts the store call: nothing failed, the next start reconciles.
            guard !Task.isCancelled else { return false }
            logger.error("cannot read pending payments", metadata: ["error": "\(error)"])
            return false
        }
        var answered = true
        for payment in pending where await !gate.isAttempting(payment.paymentHash) {
            do {
                let owner = try await store.liveAttemptOwner(
                    of: payment.paymentHash, aliveSince: now() - InstanceHeartbeat.lease)
                if let owner, owner != store.owner.description { continue }
                if let own = try await store.invoice(paymentHash: payment.paymentHash),
                    let settled = await sender.settleInside(payment, invoice: own)
                {
                    logger.info("resumed internal settlement", metadata: ["payment_hash": "\(payment.paymentHash)"])
                    let stored = try await store.payment(paymentHash: payment.paymentHash)
                    if case .failure = settled, stored?.status == .pending { answered = false }
                    continue
                }
                let outcome = try await backend.payment(for: payment.paymentHash) ?? .failed(.notSent)
                guard outcome != .pending else { continue }
                logger.info("reconciled payment", metadata: ["payment_hash": "\(payment.paymentHash)"])
                _ = try await sender.complete(payment.paymentHash, outcome)
            } catch {
                answered = false
                logger.warning(
                    "cannot reconcile payment yet",
                    metadata: ["payment_hash": "\(payment.paymentHash)", "error": "\(error)"])
            }
        }
        return answered
    }
}
