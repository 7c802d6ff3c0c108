import Lightning
import Store
import TestSupport
import Testing

extension StoreTests {
    /// Paid invoices (one labelled, with metadata) and payments (succeeded, pending, failed) at known times.
    func walletHistoryFixture(_ store: Store) async throws -> (labelled: InvoiceRecord, plain: InvoiceRecord) {
        var labelled = invoice("order-1")
        labelled.metadata = #"{"order":1}"#
        let plain = invoice()
        let unpaid = invoice("unpaid")
        for (record, received, paidAt) in [(labelled, 1000, 200), (plain, 2500, 300)] as [(InvoiceRecord, Int64, Int64)]
        {
            _ = try await store.createInvoice(record)
            _ = try await store.markInvoicePaid(
                record.paymentHash, amountReceived: MilliSatoshi(received), preimage: record.preimage!,
                paidAt: paidAt, settleIndex: nil, event: event("invoice.paid"))
        }
        _ = try await store.createInvoice(unpaid)
        let (succeeded, pending, failed) = (
            Preimage.random().paymentHash, Preimage.random().paymentHash, Preimage.random().paymentHash
        )
        for hash in [succeeded, pending, failed] { _ = try await store.beginPayment(payment(hash)) }
        _ = try await store.completePayment(
            succeeded, outcome: .succeeded(preimage: .random(), fee: MilliSatoshi(3)), at: 250,
            event: event("payment.succeeded"))
        _ = try await store.completePayment(
            failed, outcome: .failed(.noRoute), at: 260, event: event("payment.failed"))
        return (labelled, plain)
    }

    @Test(arguments: StoreEngines.all) func walletHistoryCarriesInvoiceFieldsAndTotalsTheWholeRange(
        engine: String
    ) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        let (labelled, plain) = try await walletHistoryFixture(store)
        let everything = WalletTotals(
            incoming: MilliSatoshi(3500), outgoing: MilliSatoshi(10_000), fees: MilliSatoshi(3), count: 4)

        let first = try await store.walletTransactions(WalletTransactionFilter(), limit: 2, cursor: nil)
        #expect(first.page.items.map(\.at) == [300, 250])
        #expect(first.page.items.map(\.direction) == [.incoming, .outgoing])
        #expect(first.totals == everything)
        let second = try await store.walletTransactions(
            WalletTransactionFilter(), limit: 2, cursor: first.page.nextCursor)
        #expect(second.page.items.map(\.at) == [200, 10])
        #expect(second.page.nextCursor == nil)
        #expect(second.totals == everything, "totals cover the whole range on every page")

        let incoming = try await store.walletTransactions(
            WalletTransactionFilter(direction: .incoming), limit: 10, cursor: nil)
        #expect(incoming.page.items.map(\.paymentHash) == [plain.paymentHash, labelled.paymentHash])
        let labelledRow = try #require(incoming.page.items.last)
        #expect(labelledRow.label == "order-1")
        #expect(labelledRow.metadata == #"{"order":1}"#)
        #expect(labelledRow.description == "coffee")
        #expect(labelledRow.bolt11 == nil)
        #expect(labelledRow.amount == MilliSatoshi(1000))
        #expect(
            incoming.totals
                == WalletTotals(incoming: MilliSatoshi(3500), outgoing: .zero, fees: .zero, count: 2))

        let outgoingLater = try await store.walletTransactions(
            WalletTransactionFilter(from: 100, direction: .outgoing), limit: 10, cursor: nil)
        #expect(outgoingLater.page.items.map(\.status) == ["succeeded"])
        let paid = try #require(outgoingLater.page.items.first)
        #expect(paid.bolt11 == "lnbcrt1...")
        #expect(paid.label == nil && paid.metadata == nil && paid.description == nil)
        #expect(paid.fee == MilliSatoshi(3))
        #expect(
            outgoingLater.totals
                == WalletTotals(incoming: .zero, outgoing: MilliSatoshi(5000), fees: MilliSatoshi(3), count: 1))

        let empty = try await store.walletTransactions(WalletTransactionFilter(to: 5), limit: 10, cursor: nil)
        #expect(empty.page.items.isEmpty)
        #expect(empty.totals == WalletTotals(incoming: .zero, outgoing: .zero, fees: .zero, count: 0))
    }
}
