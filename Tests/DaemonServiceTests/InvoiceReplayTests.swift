import Lightning
import TestSupport
import Testing

@testable import Wallet

/// `invoice.create` under a label, and invoice expiry, in process on the test clock.
@Suite struct InvoiceReplayTests {
    @Test func aLabelRepeatedWithTheSameParamsReturnsTheFirstInvoiceWithoutABackendCall() async throws {
        try await DaemonHarness.run { harness in
            let request = DaemonHarness.invoice(amount: MilliSatoshi(21_000), label: "order-1")
            let first = try await harness.invoices.create(request)
            harness.clock.advance(by: 30)
            let again = try await harness.invoices.create(request)
            #expect(first.replayed == false)
            #expect(first.value.status == .open)
            #expect(first.value.label == "order-1")
            #expect(again.replayed == true)
            #expect(again.value == first.value)
            #expect(harness.backend.invoiceCount == 1)
        }
    }

    @Test func aLabelRepeatedWithOtherParamsIsAConflictNamingTheFirstInvoice() async throws {
        try await DaemonHarness.run { harness in
            let first = try await harness.invoices.create(
                DaemonHarness.invoice(amount: MilliSatoshi(21_000), label: "order-1"))
            let conflict = await DaemonHarness.wireError {
                try await harness.invoices.create(DaemonHarness.invoice(amount: MilliSatoshi(22_000), label: "order-1"))
            }
            #expect(conflict?.reason == .labelConflict)
            #expect(conflict?.data["existing"]?["payment_hash"] == .string(first.value.paymentHash.hex))
            #expect(harness.backend.invoiceCount == 1)
        }
    }

    @Test func anInvoiceExpiresWhenTheClockPassesItsExpiryNotBefore() async throws {
        try await DaemonHarness.run { harness in
            let created = try await harness.invoices.create(
                DaemonHarness.invoice(amount: MilliSatoshi(21_000), expirySeconds: 60))
            let hash = created.value.paymentHash
            #expect(created.value.expiresAt == harness.clock.now + 60)

            harness.clock.advance(by: 59)
            #expect(try await harness.invoices.expireDue() == created.value.expiresAt)
            #expect(try await harness.store.invoice(paymentHash: hash)?.status == .open)

            harness.clock.advance(by: 1)
            #expect(try await harness.invoices.expireDue() == nil)
            #expect(try await harness.store.invoice(paymentHash: hash)?.status == .expired)
            #expect(try await harness.eventTypes() == ["invoice.expired"])
            // Expiring again changes nothing and adds no event.
            #expect(try await harness.invoices.expireDue() == nil)
            #expect(try await harness.eventTypes() == ["invoice.expired"])
        }
    }

    @Test func aSettlementWakesAWaiterWithThePaidInvoice() async throws {
        try await DaemonHarness.run { harness in
            let created = try await harness.invoices.create(DaemonHarness.invoice(amount: MilliSatoshi(21_000)))
            let hash = created.value.paymentHash
            let preimage = try #require(created.value.preimage)
            let waiting = Task { try await harness.invoices.wait(for: hash, timeout: .seconds(30)) }
            try await eventually("the wait is parked on the event bus") { await harness.events.waiterCount == 1 }
            try await harness.invoices.settle(
                InvoiceSettlement(
                    paymentHash: hash, amountReceived: MilliSatoshi(21_000), preimage: preimage,
                    paidAt: harness.clock.now, settleIndex: 1))
            let paid = try await waiting.value
            #expect(paid.status == .paid)
            #expect(paid.amountReceived == MilliSatoshi(21_000))
            #expect(paid.paidAt == harness.clock.now)
            #expect(try await harness.eventTypes() == ["invoice.paid"])
        }
    }
}
