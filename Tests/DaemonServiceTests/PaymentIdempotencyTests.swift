import JSONRPC
import Lightning
import Testing

@testable import Wallet

/// `payment.send` repeated, in process: the first result comes back as a replay and the backend is asked once.
@Suite struct PaymentIdempotencyTests {
    @Test func theSameKeyReturnsTheFirstPaymentAndPaysOnce() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(50_000))
            let first = try await harness.payments.send(DaemonHarness.send(invoice.bolt11, idempotencyKey: "pay-1"))
            let again = try await harness.payments.send(DaemonHarness.send(invoice.bolt11, idempotencyKey: "pay-1"))
            #expect(first.replayed == false)
            #expect(first.value.status == .succeeded)
            #expect(first.value.preimage == invoice.preimage)
            #expect(first.value.fee == MilliSatoshi(1_000))
            #expect(again.replayed == true)
            #expect(again.value == first.value)
            #expect(harness.backend.payCount(invoice.hash) == 1)
            #expect(try await harness.eventTypes() == ["payment.succeeded"])
        }
    }

    @Test func theSameInvoiceWithoutAKeyIsAReplayOfItsHash() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(50_000))
            let first = try await harness.payments.send(DaemonHarness.send(invoice.bolt11))
            let again = try await harness.payments.send(DaemonHarness.send(invoice.bolt11))
            #expect(first.replayed == false)
            #expect(again.replayed == true)
            #expect(again.value == first.value)
            #expect(harness.backend.payCount(invoice.hash) == 1)
        }
    }

    @Test func aRepeatAfterTheInvoiceExpiredReturnsTheStoredPayment() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(40_000), expirySeconds: 15)
            let first = try await harness.payments.send(DaemonHarness.send(invoice.bolt11, idempotencyKey: "order-17"))
            harness.clock.advance(by: 16)
            let again = try await harness.payments.send(DaemonHarness.send(invoice.bolt11, idempotencyKey: "order-17"))
            #expect(again.replayed == true)
            #expect(again.value == first.value)
            // The same hash without a key: the stored payment too, with its key.
            let unkeyed = try await harness.payments.send(DaemonHarness.send(invoice.bolt11))
            #expect(unkeyed.replayed == true)
            #expect(unkeyed.value.idempotencyKey == "order-17")
            // The replay is looked up before the expiry check, which refuses an expired invoice never paid.
            let late = try harness.backend.remoteInvoice(amount: MilliSatoshi(40_000), expirySeconds: 15)
            harness.clock.advance(by: 16)
            let expired = await DaemonHarness.wireError {
                try await harness.payments.send(DaemonHarness.send(late.bolt11, idempotencyKey: "order-18"))
            }
            #expect(expired?.reason == .invoiceExpired)
            #expect(harness.backend.payCount(invoice.hash) == 1)
            #expect(harness.backend.payCount(late.hash) == 0)
            #expect(try await harness.eventTypes() == ["payment.succeeded"])
        }
    }

    @Test func aKeyUsedForAnotherInvoiceIsAConflictNamingTheFirstPayment() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(50_000))
            let other = try harness.backend.remoteInvoice(amount: MilliSatoshi(50_000))
            let first = try await harness.payments.send(DaemonHarness.send(invoice.bolt11, idempotencyKey: "pay-1"))
            let conflict = await DaemonHarness.wireError {
                try await harness.payments.send(DaemonHarness.send(other.bolt11, idempotencyKey: "pay-1"))
            }
            #expect(conflict?.reason == .idempotencyConflict)
            #expect(conflict?.data["existing"]?["payment_hash"] == .string(first.value.paymentHash.hex))
            #expect(harness.backend.payCount(other.hash) == 0)
        }
    }

    @Test func aFailedPaymentIsPaidAgainUnderItsKey() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(50_000))
            harness.backend.script(invoice.hash, .answer(.failed(.noRoute)))
            let failure = await DaemonHarness.wireError {
                try await harness.payments.send(DaemonHarness.send(invoice.bolt11, idempotencyKey: "pay-1"))
            }
            #expect(failure?.reason == .noRoute)
            #expect(failure?.data["payment"]?["status"] == .string("failed"))
            harness.backend.script(invoice.hash, .answer(.succeeded(preimage: invoice.preimage, fee: .zero)))
            let retry = try await harness.payments.send(DaemonHarness.send(invoice.bolt11, idempotencyKey: "pay-1"))
            #expect(retry.replayed == false)
            #expect(retry.value.status == .succeeded)
            #expect(harness.backend.payCount(invoice.hash) == 2)
            #expect(try await harness.eventTypes() == ["payment.failed", "payment.succeeded"])
        }
    }
}
