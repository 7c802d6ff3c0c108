import Lightning
import Synchronization

/// What the payment path and the reconciler share: whether new payments are accepted yet (not before every
/// payment left pending by a previous run is reconciled), and which hashes have a backend call running in
/// this process (the reconciler never touches those).
package actor PaymentGate {
    private let accepted = Atomic<Bool>(false)
    /// Payment calls in this process that may be paying each hash (a count: two sends of one invoice overlap).
    private var attempting: [PaymentHash: Int] = [:]

    /// Creates a closed gate.
    package init() {}

    /// Opens the gate once start-up reconciliation has finished.
    func acceptPayments() {
        accepted.store(true, ordering: .releasing)
    }

    /// Whether start-up reconciliation has finished and new payments are accepted; readable from anywhere.
    package nonisolated var paymentsAccepted: Bool { accepted.load(ordering: .acquiring) }

    /// Marks a payment of `hash` as possibly running: called before its intent is committed, so the
    /// reconciler can never see the pending row without seeing the attempt.
    func beginAttempt(_ hash: PaymentHash) {
        attempting[hash, default: 0] += 1
    }

    /// Marks the backend call for `hash` as finished.
    func endAttempt(_ hash: PaymentHash) {
        guard let count = attempting[hash] else { return }
        attempting[hash] = count > 1 ? count - 1 : nil
    }

    /// Whether a backend call for `hash` is running in this process.
    func isAttempting(_ hash: PaymentHash) -> Bool {
        attempting[hash] != nil
    }
}
