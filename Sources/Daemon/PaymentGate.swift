import Lightning

/// What the payment path and the reconciler share: whether new payments are accepted yet (not before every
/// payment left pending by a previous run is reconciled), and which hashes have a backend call running in
/// this process (the reconciler never touches those).
public actor PaymentGate {
    private(set) var paymentsAccepted = false
    private var attempting: Set<PaymentHash> = []

    /// Creates a closed gate.
    public init() {}

    /// Opens the gate once start-up reconciliation has finished.
    func acceptPayments() {
        paymentsAccepted = true
    }

    /// Marks a backend call for `hash` as running.
    func beginAttempt(_ hash: PaymentHash) {
        attempting.insert(hash)
    }

    /// Marks the backend call for `hash` as finished.
    func endAttempt(_ hash: PaymentHash) {
        attempting.remove(hash)
    }

    /// Whether a backend call for `hash` is running in this process.
    func isAttempting(_ hash: PaymentHash) -> Bool {
        attempting.contains(hash)
    }
}
