import Lightning
import Store
import TestSupport
import Testing

/// Internal settlement in the store, on both engines: one transaction settles the invoice and the payment and
/// posts `payer -X`, `payee +X`; against a Lightning settlement of the same invoice at the same moment exactly one
/// of them is written.
extension LedgerStoreTests {
    /// An open invoice of `account` for `amount`, stored, with its preimage.
    func openInvoice(
        _ store: Store, of account: String, _ amount: Int64, description: String = "lesson", at: Int64 = 200
    ) async throws -> Preimage {
        let preimage = Preimage.random()
        _ = try await store.createInvoice(
            .unpaid(amount, account: account, description: description, at: at, preimage: preimage))
        return preimage
    }

    /// The pending payment of `invoice` by `account`, its intent stored.
    func beginInternal(_ store: Store, _ invoice: Preimage, by account: String, _ amount: Int64) async throws {
        var paying = payment(from: account, amount: amount, maxFee: 0)
        paying.paymentHash = invoice.paymentHash
        guard case .started = try await store.beginPayment(paying) else {
            Issue.record("internal payment not started")
            return
        }
    }

    func settleInternally(_ store: Store, _ invoice: Preimage, at: Int64 = 300) async throws -> InternalSettlement? {
        try await store.settleInternally(invoice.paymentHash, preimage: invoice, at: at) { _, _ in
            [
                NewEvent(type: "invoice.paid", at: at, data: "{}"),
                NewEvent(type: "payment.succeeded", at: at, data: "{}"),
            ]
        }
    }

    @Test(arguments: StoreEngines.all) func anInternalSettlementMovesMoneyBetweenAccountsOnly(engine: String)
        async throws
    {
        defer { directory.remove() }
        let store = try await openStore(try await StoreEngines.url(engine, in: directory))
        _ = try await store.createAccount(account("user:1"))
        _ = try await store.createAccount(account("user:2"))
        try await fund(store, "user:1", 10_000)
        let invoice = try await openInvoice(store, of: "user:2", 4_000)
        try await beginInternal(store, invoice, by: "user:1", 4_000)

        let settled = try #require(try await settleInternally(store, invoice))
        #expect(settled.invoice.status == .paid && settled.invoice.amountReceived == MilliSatoshi(4_000))
        #expect(settled.invoice.preimage == invoice)
        #expect(settled.payment.status == .succeeded && settled.payment.fee == MilliSatoshi(0))
        #expect(settled.payment.preimage == invoice)
        #expect(
            settled.events.map(\.type) == ["account.debited", "account.credited", "invoice.paid", "payment.succeeded"])
        #expect(settled.events.map(\.index) == (0..<4).map { settled.events[0].index + Int64($0) })
        #expect(try await settleInternally(store, invoice) == nil)
        let payer = try await store.account(id: "user:1", now: 400)
        #expect(payer?.balance == 6_000 && payer?.held == 0 && payer?.spentLastDay == 4_000)
        #expect(try await store.account(id: "user:2", now: 400)?.balance == 4_000)
        let statement = try await store.statement(account: "user:2", filter: StatementFilter(), limit: 5, cursor: nil)
        #expect(statement.page.items.map(\.kind) == [.internal])
        #expect(statement.page.items.map(\.counterparty) == ["user:1"])
        let audit = try await store.ledgerAudit()
        #expect(audit.isClean, "\(audit)")
        #expect(audit.liabilities == 10_000 && audit.nodeBalance == 10_000)
    }

    @Test(arguments: StoreEngines.all) func aLightningSettlementAndAnInternalOneOfOneInvoiceWriteOnce(engine: String)
        async throws
    {
        defer { directory.remove() }
        let store = try await openStore(try await StoreEngines.url(engine, in: directory))
        _ = try await store.createAccount(account("user:1"))
        _ = try await store.createAccount(account("user:2"))
        try await fund(store, "user:1", 100_000)
        var internalWins = 0
        for _ in 0..<20 {
            let invoice = try await openInvoice(store, of: "user:2", 1_000)
            try await beginInternal(store, invoice, by: "user:1", 1_000)
            async let inside = settleInternally(store, invoice)
            async let outside = store.markInvoicePaid(
                invoice.paymentHash, amountReceived: MilliSatoshi(1_000), preimage: invoice, paidAt: 300,
                settleIndex: nil, event: { _ in NewEvent(type: "invoice.paid", at: 300, data: "{}") })
            let (settled, paid) = try await (inside, outside)
            #expect((settled == nil) != (paid == nil), "exactly one settlement of \(invoice.paymentHash)")
            if settled != nil { internalWins += 1 }
            if settled == nil {
                // The sender then fails the internal payment, releasing its hold.
                _ = try await store.completePayment(
                    invoice.paymentHash, outcome: .failed(.alreadyPaid), at: 310,
                    event: { _ in NewEvent(type: "payment.failed", at: 310, data: "{}") })
            }
        }
        let payer = try await store.account(id: "user:1", now: 400)
        #expect(payer?.balance == 100_000 - Int64(internalWins) * 1_000 && payer?.held == 0)
        #expect(try await store.account(id: "user:2", now: 400)?.balance == 20_000)
        let audit = try await store.ledgerAudit()
        #expect(audit.isClean, "\(audit)")
        #expect(audit.nodeBalance == 100_000 + Int64(20 - internalWins) * 1_000)
    }
}
