import JSONRPC
import TestSupport
import Testing

/// Internal settlement over the real backends: the LND simulator (the invoice canceled with CancelInvoice, then
/// settled inside the ledger, no HTLC) and LNbits 1.6.2 (which cannot cancel a regular invoice: the daemon pays
/// its own invoice through LNbits, which settles it once, internally).
@Suite(.serialized) struct InternalSettlementBackendTests {
    static let amountMsat: Int64 = 25_000
    static let funds: Int64 = 200_000

    /// Creates the payer and payee accounts on `wallet`, funds the payer from `outsider`, and pays an invoice of
    /// the payee from the payer; returns the invoice and the payment.
    static func payInside(wallet: DaemonProcess, outsider: DaemonProcess) async throws -> (
        invoice: JSONValue, payment: JSONValue
    ) {
        _ = try await wallet.call("account.create", ["id": "fan:payer"])
        _ = try await wallet.call("account.create", ["id": "club:payee"])
        try await AccountRaceTests.fund("fan:payer", with: funds, on: wallet, from: outsider)
        let invoice = try await wallet.call(
            "invoice.create",
            ["amount_msat": .integer(amountMsat), "description": "inside", "account": "club:payee"])
        let payment = try await wallet.call(
            "payment.send", ["bolt11": .string(invoice.string("bolt11")), "account": "fan:payer"])
        return (invoice, payment)
    }

    /// The accounts after one internal settlement, and the audit.
    static func expectSettled(_ wallet: DaemonProcess, nodeMsat: Int64) async throws {
        let payer = try await wallet.call("account.get", ["id": "fan:payer"])
        #expect(payer.integer("balance_msat") == funds - amountMsat && payer.integer("held_msat") == 0)
        let payee = try await settledValue {
            try await wallet.call("account.get", ["id": "club:payee"]).integer("balance_msat")
        } until: {
            $0 == amountMsat
        }
        #expect(payee == amountMsat)
        let audit = try await wallet.call("ledger.audit")
        #expect(audit["clean"] == .bool(true), "\(audit)")
        #expect(audit.integer("node_msat") == nodeMsat)
    }

    @Test(.timeLimit(.minutes(3)))
    func lndCancelsTheInvoiceAndTheLedgerSettlesIt() async throws {
        try await RealBackendTests.withLNDPair { alice, bob, _ in
            let balanceBefore = try await alice.call("wallet.balance").integer("balance_msat")
            let (invoice, payment) = try await Self.payInside(wallet: alice, outsider: bob)
            #expect(payment.string("status") == "succeeded")
            #expect(payment.integer("fee_msat") == 0)
            let paid = try await alice.call("invoice.get", ["payment_hash": .string(invoice.string("payment_hash"))])
            #expect(paid.string("status") == "paid")
            #expect(paid.string("preimage") == payment.string("preimage"))
            // No HTLC: the node holds what the funding brought, and the invoice is canceled at LND, so paying it
            // over Lightning now fails.
            #expect(try await alice.call("wallet.balance").integer("balance_msat") == balanceBefore + Self.funds)
            let outside = try await bob.error("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
            #expect(outside?.reason.name == "incorrect_payment_details")
            try await Self.expectSettled(alice, nodeMsat: Self.funds)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func lnbitsSettlesTheDaemonsOwnInvoiceInternallyOnce() async throws {
        try await RealBackendTests.withLNbitsPair { platform, customer in
            let (invoice, payment) = try await Self.payInside(wallet: platform, outsider: customer)
            #expect(payment.string("status") == "succeeded")
            #expect(payment.integer("fee_msat") == 0)
            let paid = try await settledValue {
                try await platform.call("invoice.get", ["payment_hash": .string(invoice.string("payment_hash"))])
                    .string("status")
            } until: {
                $0 == "paid"
            }
            #expect(paid == "paid")
            // LNbits decided once: the same invoice paid again from outside is refused.
            let outside = try await customer.error("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
            #expect(outside?.reason.name == "already_paid")
            try await Self.expectSettled(platform, nodeMsat: Self.funds)
        }
    }
}
