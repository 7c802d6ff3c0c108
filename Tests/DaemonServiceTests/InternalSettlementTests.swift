import JSONRPC
import Lightning
import Store
import Testing

@testable import Wallet

/// `payment.send` of an invoice this daemon issued for another account, in process: the money moves inside the
/// ledger only after the backend canceled the invoice, so it is never also paid over Lightning.
@Suite struct InternalSettlementTests {
    static let payer = "user:ada"
    static let payee = "user:bob"

    /// Creates the payer and payee accounts and credits the payer with `funds` msat by a Lightning settlement.
    static func accounts(
        _ harness: DaemonHarness, funds: Int64 = 100_000, payerLimits: AccountLimits = AccountLimits()
    ) async throws {
        for (id, limits) in [(payer, payerLimits), (payee, AccountLimits())] {
            _ = try await harness.store.createAccount(
                AccountRecord(
                    id: id, name: id, metadata: nil, limits: limits, createdAt: harness.clock.now,
                    requestFingerprint: "f-\(id)"))
        }
        let funding = try await harness.invoices.create(
            DaemonHarness.invoice(amount: MilliSatoshi(funds), account: payer)
        ).value
        try await harness.invoices.settle(
            InvoiceSettlement(
                paymentHash: funding.paymentHash, amountReceived: MilliSatoshi(funds), preimage: funding.preimage!,
                paidAt: harness.clock.now, settleIndex: 1))
    }

    /// An invoice of the payee for 40,000 msat, once the accounts are open and the payer funded.
    static func payeeInvoice(_ harness: DaemonHarness) async throws -> InvoiceRecord {
        try await accounts(harness)
        return try await harness.invoices.create(
            DaemonHarness.invoice(amount: MilliSatoshi(40_000), account: payee)
        ).value
    }

    /// The wire error the payer's payment of `invoice` fails with, or `nil` when it succeeds.
    static func payInside(_ harness: DaemonHarness, _ invoice: InvoiceRecord) async -> RPCError? {
        await DaemonHarness.wireError {
            try await harness.payments.send(DaemonHarness.send(invoice.bolt11, account: payer))
        }
    }

    /// The balance and held amount of `account`.
    static func figures(_ harness: DaemonHarness, _ account: String) async throws -> (balance: Int64, held: Int64) {
        let state = try #require(try await harness.store.account(id: account, now: harness.clock.now))
        return (state.balance, state.held)
    }

    @Test func anInvoiceOfAnotherAccountIsSettledInsideTheLedgerOnce() async throws {
        try await DaemonHarness.run { harness in
            try await Self.accounts(harness)
            let invoice = try await harness.invoices.create(
                DaemonHarness.invoice(amount: MilliSatoshi(40_000), label: "order-1", account: Self.payee)
            ).value
            let eventsBefore = try await harness.store.lastEventIndex()
            let paid = try await harness.payments.send(
                DaemonHarness.send(invoice.bolt11, idempotencyKey: "pay-1", account: Self.payer))
            #expect(paid.replayed == false)
            #expect(paid.value.status == .succeeded)
            #expect(paid.value.fee == MilliSatoshi(0))
            #expect(paid.value.preimage == invoice.preimage)
            #expect(paid.value.account == Self.payer)
            let settled = try #require(try await harness.store.invoice(paymentHash: invoice.paymentHash))
            #expect(settled.status == .paid)
            #expect(settled.amountReceived == MilliSatoshi(40_000))
            #expect(settled.preimage == invoice.preimage)
            #expect(try await Self.figures(harness, Self.payer) == (60_000, 0))
            #expect(try await Self.figures(harness, Self.payee) == (40_000, 0))
            let audit = try await harness.store.ledgerAudit()
            #expect(audit.isClean)
            #expect(audit.nodeBalance == 100_000)
            #expect(harness.backend.cancelCount(invoice.paymentHash) == 1)
            #expect(harness.backend.payCount(invoice.paymentHash) == 0)
            #expect(try await harness.eventTypes(after: eventsBefore) == Self.settlementEvents)
            let accountEvents = try await harness.store.events(after: eventsBefore, limit: 2)
            #expect(accountEvents.allSatisfy { $0.data.contains(#""cause":"internal""#) })
            #expect(accountEvents.first?.data.contains(#""account":"\#(Self.payer)""#) == true)
            #expect(accountEvents.last?.data.contains(#""account":"\#(Self.payee)""#) == true)

            let again = try await harness.payments.send(
                DaemonHarness.send(invoice.bolt11, idempotencyKey: "pay-1", account: Self.payer))
            #expect(again.replayed == true)
            #expect(again.value == paid.value)
            #expect(try await Self.figures(harness, Self.payer) == (60_000, 0))
            #expect(try await Self.figures(harness, Self.payee) == (40_000, 0))
            #expect(harness.backend.cancelCount(invoice.paymentHash) == 1)
            #expect(try await harness.eventTypes(after: eventsBefore) == Self.settlementEvents)
        }
    }

    /// What one internal settlement announces, in index order: the payer's debit and the payee's credit (written
    /// with the journal entry), then the invoice paid and the payment succeeded.
    static let settlementEvents = ["account.debited", "account.credited", "invoice.paid", "payment.succeeded"]

    @Test func theStatementNamesTheOtherAccountAndTheInvoice() async throws {
        try await DaemonHarness.run { harness in
            try await Self.accounts(harness)
            let invoice = try await harness.invoices.create(
                DaemonHarness.invoice(
                    amount: MilliSatoshi(25_000), description: "lesson", label: "lesson-3", account: Self.payee)
            ).value
            _ = try await harness.payments.send(DaemonHarness.send(invoice.bolt11, account: Self.payer))
            let payee = try await harness.store.statement(
                account: Self.payee, filter: StatementFilter(), limit: 10, cursor: nil)
            let line = try #require(payee.page.items.first)
            #expect(line.kind == .internal)
            #expect(line.amount == 25_000)
            #expect(line.counterparty == Self.payer)
            #expect(line.label == "lesson-3")
            #expect(line.description == "lesson")
            let payer = try await harness.store.statement(
                account: Self.payer, filter: StatementFilter(incoming: false), limit: 10, cursor: nil)
            #expect(payer.page.items.map(\.amount) == [-25_000])
            #expect(payer.page.items.first?.counterparty == Self.payee)
            #expect(payer.page.items.first?.fee == 0)
        }
    }

    @Test func theSameAccountStaysASelfPaymentAndStoresNothing() async throws {
        try await DaemonHarness.run { harness in
            try await Self.accounts(harness)
            let invoice = try await harness.invoices.create(
                DaemonHarness.invoice(amount: MilliSatoshi(10_000), account: Self.payer)
            ).value
            let refusal = await Self.payInside(harness, invoice)
            #expect(refusal?.reason == .selfPayment)
            #expect(try await harness.store.payment(paymentHash: invoice.paymentHash) == nil)
            #expect(try await harness.store.invoice(paymentHash: invoice.paymentHash)?.status == .open)
            #expect(harness.backend.cancelCount(invoice.paymentHash) == 0)
        }
    }

    @Test func fundsLimitsAndFreezingRefuseBeforeTheBackendIsAsked() async throws {
        try await DaemonHarness.run { harness in
            try await Self.accounts(
                harness, funds: 50_000, payerLimits: AccountLimits(maxPayment: MilliSatoshi(30_000)))
            let overLimit = try await harness.invoices.create(
                DaemonHarness.invoice(amount: MilliSatoshi(35_000), account: Self.payee)
            ).value
            let limited = await Self.payInside(harness, overLimit)
            #expect(limited?.reason == .limitExceeded)
            // After a first payment of 25,000, 30,000 is within the limit on amount, but with its fee cap of
            // 10,000 it is more than the 25,000 left.
            let first = try await harness.invoices.create(
                DaemonHarness.invoice(amount: MilliSatoshi(25_000), account: Self.payee)
            ).value
            _ = try await harness.payments.send(DaemonHarness.send(first.bolt11, account: Self.payer))
            let unaffordable = try await harness.invoices.create(
                DaemonHarness.invoice(amount: MilliSatoshi(30_000), account: Self.payee)
            ).value
            let short = await Self.payInside(harness, unaffordable)
            #expect(short?.reason == .insufficientFunds)
            _ = try await harness.store.updateAccount(
                Self.payer, AccountChange(status: .frozen), now: harness.clock.now)
            let small = try await harness.invoices.create(
                DaemonHarness.invoice(amount: MilliSatoshi(1_000), account: Self.payee)
            ).value
            let frozen = await Self.payInside(harness, small)
            #expect(frozen?.reason == .accountFrozen)
            for refused in [overLimit, unaffordable, small] {
                #expect(try await harness.store.payment(paymentHash: refused.paymentHash) == nil)
                #expect(harness.backend.cancelCount(refused.paymentHash) == 0)
            }
            #expect(try await Self.figures(harness, Self.payer) == (25_000, 0))
            #expect(try await Self.figures(harness, Self.payee) == (25_000, 0))
        }
    }

    @Test func anInvoicePaidOverLightningFirstLeavesTheInternalPayerUndebited() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try await Self.payeeInvoice(harness)
            harness.backend.scriptCancel(
                invoice.paymentHash, throwing: BackendError(.alreadyPaid, "invoice already settled"))
            let lost = await Self.payInside(harness, invoice)
            #expect(lost?.reason == .alreadyPaid)
            #expect(lost?.data["existing"]?["failure_reason"] == .string("already_paid"))
            let payment = try #require(try await harness.store.payment(paymentHash: invoice.paymentHash))
            #expect(payment.status == .failed)
            #expect(payment.failureReason == .alreadyPaid)
            #expect(try await Self.figures(harness, Self.payer) == (100_000, 0))
            // The Lightning payment's settlement credits the payee through the node.
            try await harness.invoices.settle(
                InvoiceSettlement(
                    paymentHash: invoice.paymentHash, amountReceived: MilliSatoshi(40_000),
                    preimage: invoice.preimage!, paidAt: harness.clock.now, settleIndex: 2))
            #expect(try await Self.figures(harness, Self.payee) == (40_000, 0))
            let audit = try await harness.store.ledgerAudit()
            #expect(audit.isClean)
            #expect(audit.nodeBalance == 140_000)
            // Paying it again now is refused before any intent: the invoice is paid.
            let again = await Self.payInside(harness, invoice)
            #expect(again?.reason == .alreadyPaid)
            #expect(harness.backend.cancelCount(invoice.paymentHash) == 1)
        }
    }

    @Test func anUnansweredCancelIsResumedAtStartAndSettledOnce() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try await Self.payeeInvoice(harness)
            harness.backend.scriptCancel(invoice.paymentHash, throwing: BackendError(.unavailable, "node down"))
            let unknown = await Self.payInside(harness, invoice)
            #expect(unknown?.reason == .backendUnavailable)
            #expect(try await harness.store.payment(paymentHash: invoice.paymentHash)?.status == .pending)
            #expect(try await Self.figures(harness, Self.payer) == (100_000, 50_000))
            harness.backend.scriptCancel(invoice.paymentHash, throwing: nil)
            try await harness.restarted { restarted in
                #expect(await restarted.reconcileAtStart())
                let payment = try #require(try await restarted.store.payment(paymentHash: invoice.paymentHash))
                #expect(payment.status == .succeeded)
                #expect(payment.fee == MilliSatoshi(0))
                #expect(try await restarted.store.invoice(paymentHash: invoice.paymentHash)?.status == .paid)
                #expect(try await Self.figures(restarted, Self.payer) == (60_000, 0))
                #expect(try await Self.figures(restarted, Self.payee) == (40_000, 0))
                #expect(try await restarted.store.ledgerAudit().isClean)
                #expect(restarted.backend.cancelCount(invoice.paymentHash) == 2)
                #expect(restarted.backend.payCount(invoice.paymentHash) == 0)
            }
        }
    }

    @Test func aPendingInternalPaymentWhoseInvoiceWasPaidOverLightningFailsAtStart() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try await Self.payeeInvoice(harness)
            harness.backend.scriptCancel(invoice.paymentHash, throwing: BackendError(.timeout, "no answer"))
            _ = await Self.payInside(harness, invoice)
            harness.backend.scriptCancel(
                invoice.paymentHash, throwing: BackendError(.alreadyPaid, "invoice already settled"))
            try await harness.restarted { restarted in
                #expect(await restarted.reconcileAtStart())
                let payment = try #require(try await restarted.store.payment(paymentHash: invoice.paymentHash))
                #expect(payment.status == .failed)
                #expect(payment.failureReason == .alreadyPaid)
                #expect(try await Self.figures(restarted, Self.payer) == (100_000, 0))
                #expect(try await restarted.store.invoice(paymentHash: invoice.paymentHash)?.status == .open)
                #expect(try await restarted.store.ledgerAudit().isClean)
            }
        }
    }

    @Test func aBackendThatCannotCancelSettlesItsOwnInvoiceThroughPay() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try await Self.payeeInvoice(harness)
            harness.backend.scriptCancel(
                invoice.paymentHash, throwing: BackendError(.unsupported, "cannot cancel invoices"))
            harness.backend.script(
                invoice.paymentHash, .answer(.succeeded(preimage: invoice.preimage!, fee: MilliSatoshi(0))))
            let paid = try await harness.payments.send(DaemonHarness.send(invoice.bolt11, account: Self.payer))
            #expect(paid.value.status == .succeeded)
            #expect(harness.backend.payCount(invoice.paymentHash) == 1)
            // The backend's own settlement of its invoice credits the payee; the node's books net to zero.
            try await harness.invoices.settle(
                InvoiceSettlement(
                    paymentHash: invoice.paymentHash, amountReceived: MilliSatoshi(40_000),
                    preimage: invoice.preimage!, paidAt: harness.clock.now, settleIndex: 2))
            #expect(try await Self.figures(harness, Self.payer) == (60_000, 0))
            #expect(try await Self.figures(harness, Self.payee) == (40_000, 0))
            let audit = try await harness.store.ledgerAudit()
            #expect(audit.isClean)
            #expect(audit.nodeBalance == 100_000)
        }
    }
}
