import Foundation

/// Named crash points for crash-safety tests: when `T4GD_FAULT_POINTS` (comma-separated names) lists a point,
/// the daemon kills itself with SIGKILL there, exactly as a power cut or `kill -9` would. The names are
/// documented in docs/reliability.md.
///
/// Compiled in only where `T4G_FAULT_INJECTION` is defined: Package.swift defines it for debug builds (the ones
/// `swift test` runs), so a release binary never reads the variable and ``hit(_:)`` is empty there
/// (`scripts/check-release-fault-points.sh` checks the release build settings).
enum FaultInjection {
    /// After a payment intent is committed, before the backend is asked to pay.
    static let afterPaymentIntent = "payment.after_intent"
    /// After the backend reported the payment's outcome, before it is stored.
    static let afterBackendPaid = "payment.after_backend"
    /// After an internal settlement's invoice is canceled at the backend, before the settlement is written.
    static let afterInternalCancel = "internal.after_cancel"
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

    #if T4G_FAULT_INJECTION
        /// The points enabled for this process.
        private static let enabled: Set<String> = Set(
            (ProcessInfo.processInfo.environment["T4GD_FAULT_POINTS"] ?? "").split(separator: ",").map(String.init))

        /// Dies here if `point` is enabled.
        static func hit(_ point: String) {
            guard enabled.contains(point) else { return }
            FileHandle.standardError.write(Data("t4gd: fault injection: SIGKILL at \(point)\n".utf8))
            kill(getpid(), SIGKILL)
        }
    #else
        /// A release build has no fault points: nothing happens here, whatever the environment says.
        @inline(__always) static func hit(_ point: String) {}
    #endif
}
