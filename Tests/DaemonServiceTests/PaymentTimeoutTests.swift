import Lightning
import TestSupport
import Testing

@testable import Wallet

/// `timeout_s` in process: a backend slower than the caller's timeout leaves the caller with the pending payment,
/// and the attempt, still running, records the outcome when the backend answers.
@Suite struct PaymentTimeoutTests {
    @Test func aSlowBackendAnswersPendingThenThePaymentCompletesInTheBackground() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(70_000))
            harness.backend.script(invoice.hash, .held)
            let answer = try await harness.payments.send(DaemonHarness.send(invoice.bolt11, timeoutSeconds: 1))
            #expect(answer.replayed == false)
            #expect(answer.value.status == .pending)
            #expect(answer.value.preimage == nil)
            #expect(harness.backend.payCount(invoice.hash) == 1)
            // A repeat while the attempt runs returns the pending payment and calls the backend no second time.
            let repeated = try await harness.payments.send(DaemonHarness.send(invoice.bolt11, timeoutSeconds: 1))
            #expect(repeated.replayed == true)
            #expect(repeated.value.status == .pending)

            harness.backend.release(
                invoice.hash, with: .succeeded(preimage: invoice.preimage, fee: MilliSatoshi(3_000)))
            try await eventually("the payment is stored as succeeded") {
                try await harness.store.payment(paymentHash: invoice.hash)?.status == .succeeded
            }
            let stored = try #require(try await harness.store.payment(paymentHash: invoice.hash))
            #expect(stored.preimage == invoice.preimage)
            #expect(stored.fee == MilliSatoshi(3_000))
            #expect(stored.completedAt == harness.clock.now)
            #expect(harness.backend.payCount(invoice.hash) == 1)
            #expect(try await harness.eventTypes() == ["payment.succeeded"])
        }
    }

    @Test func aSlowBackendThatFailsLaterStoresTheFailure() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(70_000))
            harness.backend.script(invoice.hash, .held)
            let answer = try await harness.payments.send(DaemonHarness.send(invoice.bolt11, timeoutSeconds: 1))
            #expect(answer.value.status == .pending)

            harness.backend.release(invoice.hash, with: .failed(.noRoute))
            try await eventually("the payment is stored as failed") {
                try await harness.store.payment(paymentHash: invoice.hash)?.status == .failed
            }
            let stored = try #require(try await harness.store.payment(paymentHash: invoice.hash))
            #expect(stored.failureReason == .noRoute)
            #expect(stored.preimage == nil)
            #expect(try await harness.eventTypes() == ["payment.failed"])
        }
    }
}
