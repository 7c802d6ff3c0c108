import Lightning
import Store
import Testing

@testable import Wallet

/// Reconciliation at start, in process: a payment intent stored by a daemon that stopped before it knew the
/// outcome is resolved from what the backend says, before new payments are accepted.
@Suite struct ReconciliationTests {
    /// What the backend says about the payment, and the state the start must store.
    struct Case: Sendable, CustomTestStringConvertible {
        let backendSays: PaymentOutcome?
        let status: PaymentStatus
        let failureReason: PaymentFailureReason?
        var testDescription: String { "\(backendSays.map { "\($0)" } ?? "never sent") → \(status.rawValue)" }
    }

    static let preimage = Preimage.random()

    static let cases = [
        Case(
            backendSays: .succeeded(preimage: preimage, fee: MilliSatoshi(2_000)), status: .succeeded,
            failureReason: nil),
        Case(backendSays: .failed(.insufficientBalance), status: .failed, failureReason: .insufficientBalance),
        Case(backendSays: nil, status: .failed, failureReason: .notSent),
    ]

    @Test(arguments: cases) func anIntentLeftByAStopIsResolvedAtStart(_ given: Case) async throws {
        try await DaemonHarness.run { harness in
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(40_000))
            let intent = PaymentRecord(
                paymentHash: invoice.hash, bolt11: invoice.bolt11, status: .pending, amount: MilliSatoshi(40_000),
                maxFee: MilliSatoshi(10_000), idempotencyKey: "crash-1", createdAt: harness.clock.now)
            _ = try await harness.store.beginPayment(intent)
            harness.backend.knows(
                invoice.hash,
                given.backendSays.map { outcome in
                    guard case .succeeded(_, let fee) = outcome else { return outcome }
                    return .succeeded(preimage: invoice.preimage, fee: fee)
                })
            harness.clock.advance(by: 5)

            try await harness.restarted { restarted in
                #expect(await restarted.reconcileAtStart())
                let stored = try #require(try await restarted.store.payment(paymentHash: invoice.hash))
                #expect(stored.status == given.status)
                #expect(stored.failureReason == given.failureReason)
                #expect(stored.preimage == (given.status == .succeeded ? invoice.preimage : nil))
                #expect(stored.completedAt == harness.clock.now)
                #expect(try await restarted.eventTypes() == ["payment.\(given.status.rawValue)"])
            }
            #expect(harness.backend.payCount(invoice.hash) == 0)
        }
    }

    @Test func aPaymentTheBackendStillSeesInFlightKeepsPaymentsClosed() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(40_000))
            _ = try await harness.store.beginPayment(
                PaymentRecord(
                    paymentHash: invoice.hash, bolt11: invoice.bolt11, status: .pending, amount: MilliSatoshi(40_000),
                    maxFee: MilliSatoshi(10_000), idempotencyKey: nil, createdAt: harness.clock.now))
            harness.backend.knows(invoice.hash, .pending)

            try await harness.restarted { restarted in
                // The backend answered (pending): payments are accepted, and the payment stays pending, untouched.
                #expect(await restarted.reconcileAtStart())
                let stored = try #require(try await restarted.store.payment(paymentHash: invoice.hash))
                #expect(stored.status == .pending)
                #expect(stored.completedAt == nil)
                #expect(try await restarted.eventTypes() == [])
            }
        }
    }
}
