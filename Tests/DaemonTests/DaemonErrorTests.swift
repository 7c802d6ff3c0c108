import JSONRPC
import Lightning
import Testing

@testable import RPCMethods
@testable import Wallet

/// The typed error path: a `DaemonError` names a catalogue reason, keeps its cause for the log, and shows
/// neither `data` values nor secrets in its descriptions; backend codes and payment failure reasons map to
/// wire reasons explicitly.
@Suite struct DaemonErrorTests {
    @Test func descriptionsNameTheReasonAndKeepDataValuesOut() {
        let secret = String(repeating: "5e", count: 32)
        let cause = BackendError(.unavailable, "connection refused")
        let error = DaemonError(
            .backendUnavailable, "the Lightning backend is unavailable",
            data: ["retry_after_s": 5, "preimage": .string(secret)], underlying: cause)
        #expect(error.description == "backend_unavailable: the Lightning backend is unavailable")
        #expect(
            error.debugDescription
                == "DaemonError(backend_unavailable 600: the Lightning backend is unavailable; data: preimage,"
                + " retry_after_s; underlying: backend unavailable: connection refused)")
        #expect(!error.debugDescription.contains(secret) && !error.description.contains(secret))
        #expect(error.adding(["payment": ["status": "pending"]]).data.keys == ["retry_after_s", "preimage", "payment"])
    }

    @Test func theRPCBoundarySendsReasonMessageAndDataOnly() {
        let error = DaemonError(
            .labelConflict, "label is already used", data: ["existing": ["label": "l"]],
            underlying: BackendError(.failure, "detail for the log"))
        let wire = DaemonRPCService.rpcError(error, logger: .init(label: "test"), method: "invoice.create")
        #expect(wire == RPCError(.labelConflict, message: "label is already used", data: ["existing": ["label": "l"]]))
    }

    @Test(arguments: [
        (BackendError.Code.unavailable, RPCErrorReason.backendUnavailable), (.timeout, .backendTimeout),
        (.alreadyPaid, .alreadyPaid), (.inFlight, .paymentInFlight), (.selfPayment, .selfPayment),
        (.notFound, .invoiceNotFound), (.unsupported, .unsupportedByBackend), (.networkMismatch, .networkMismatch),
        (.unauthorized, .backendError), (.invalidRequest, .backendError), (.failure, .backendError),
    ])
    func backendCodesMapToTheirReasons(code: BackendError.Code, reason: RPCErrorReason) {
        let cause = BackendError(code, "what the backend said")
        let error = BackendErrorMapping.daemonError(cause)
        #expect(error.reason == reason)
        #expect(error.underlying as? BackendError == cause)
        #expect(
            (error.data["retry_after_s"]?.int64Value != nil) == (reason == .backendUnavailable),
            "retry_after_s only when the backend is unavailable")
    }

    @Test func anErrorThatIsNotABackendErrorIsBackendErrorWithItsCauseKept() {
        let error = BackendErrorMapping.daemonError(CancellationError())
        #expect(error.reason == .backendError)
        #expect(error.underlying is CancellationError)
    }

    @Test func everyPaymentFailureReasonHasItsWireReason() {
        let expected: [PaymentFailureReason: RPCErrorReason] = [
            .noRoute: .noRoute, .insufficientBalance: .insufficientBalance,
            .incorrectPaymentDetails: .incorrectPaymentDetails, .timeout: .paymentTimeout,
            .invoiceExpired: .invoiceExpired, .selfPayment: .selfPayment, .backendError: .paymentFailed,
            .notSent: .paymentFailed, .alreadyPaid: .alreadyPaid,
        ]
        #expect(Set(expected.keys) == Set(PaymentFailureReason.allCases))
        for reason in PaymentFailureReason.allCases {
            #expect(PaymentFailureMapping.reason(for: reason) == expected[reason], "\(reason)")
        }
    }
}
