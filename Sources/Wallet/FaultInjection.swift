import Foundation

/// Named crash points for crash-safety tests: when `T4GD_FAULT_POINTS` (comma-separated names) lists a point,
/// the daemon kills itself with SIGKILL there, exactly as a power cut or `kill -9` would. Unset in production;
/// the names are documented in docs/reliability.md.
enum FaultInjection {
    /// The points enabled for this process.
    private static let enabled: Set<String> = Set(
        (ProcessInfo.processInfo.environment["T4GD_FAULT_POINTS"] ?? "").split(separator: ",").map(String.init))

    /// After a payment intent is committed, before the backend is asked to pay.
    static let afterPaymentIntent = "payment.after_intent"
    /// After the backend reported the payment's outcome, before it is stored.
    static let afterBackendPaid = "payment.after_backend"
    /// After an invoice is recorded as paid, before a proof transfer bound to it is finalized.
    static let afterInvoicePaid = "invoice.after_paid"
    /// After the invoice of a payment-bound proof transfer is created, before its transition or signature
    /// request is stored.
    static let afterTransferInvoice = "proof.after_invoice"
    /// After a proof transition is stored, before the transfer is answered.
    static let afterTransition = "proof.after_transition"
    /// A redemption, attestation or revocation is signed, not yet written.
    static let beforeLifecycleWrite = "proof.before_lifecycle_write"
    /// A redemption, attestation or revocation is written with its event, not yet answered.
    static let afterLifecycleWrite = "proof.after_lifecycle_write"

    /// Dies here if `point` is enabled.
    static func hit(_ point: String) {
        guard enabled.contains(point) else { return }
        FileHandle.standardError.write(Data("t4gd: fault injection: SIGKILL at \(point)\n".utf8))
        kill(getpid(), SIGKILL)
    }
}
