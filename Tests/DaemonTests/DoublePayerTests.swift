import JSONRPC
import TestSupport
import Testing

/// The double payer: one invoice of an account paid at the same moment over Lightning from another daemon and
/// internally from another account of the same daemon. The backend decides once on the payment hash (the
/// internal payer cancels the invoice there first), so each invoice is paid once and one payer is debited.
@Suite(.serialized) struct DoublePayerTests {
    static let rounds = 20
    static let amountMsat: Int64 = 20_000
    /// The internal payer's default fee cap (10 sat), held with each payment while it is in flight.
    static let feeCapMsat: Int64 = 10_000

    @Test(arguments: StoreEngines.all)
    func anInvoicePaidFromOutsideAndInsideAtOnceIsPaidOnceAndDebitsOnePayer(engine: String) async throws {
        try await DevNetwork.run(engine: engine) { network in
            let wallet = try await network.daemon()
            let outsider = try await network.daemon()
            _ = try await wallet.call("account.create", ["id": "fan:payer"])
            _ = try await wallet.call("account.create", ["id": "club:payee"])
            let funds = Int64(Self.rounds) * Self.amountMsat + Self.feeCapMsat
            try await AccountRaceTests.fund("fan:payer", with: funds, on: wallet, from: outsider)

            var insideWins = 0
            for round in 0..<Self.rounds {
                let invoice = try await wallet.call(
                    "invoice.create",
                    [
                        "amount_msat": .integer(Self.amountMsat), "description": .string("round \(round)"),
                        "account": "club:payee",
                    ])
                let bolt11 = invoice.string("bolt11")
                async let inside = AccountRaceTests.outcome(
                    of: "payment.send", on: wallet, ["bolt11": .string(bolt11), "account": "fan:payer"])
                async let outside = AccountRaceTests.outcome(
                    of: "payment.send", on: outsider, ["bolt11": .string(bolt11)])
                let (byAccount, overLightning) = await (inside, outside)
                switch (byAccount, overLightning) {
                case (.succeeded, .refused("incorrect_payment_details")): insideWins += 1
                case (.refused("already_paid"), .succeeded): break
                default: Issue.record("round \(round): inside \(byAccount), outside \(overLightning)")
                }
                let paid = try await wallet.call(
                    "invoice.wait", ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 15])
                #expect(paid.string("status") == "paid", "round \(round)")
                #expect(paid.integer("amount_received_msat") == Self.amountMsat, "round \(round)")
            }

            let payer = try await wallet.call("account.get", ["id": "fan:payer"])
            #expect(payer.integer("balance_msat") == funds - Int64(insideWins) * Self.amountMsat)
            #expect(payer.integer("held_msat") == 0)
            let payee = try await wallet.call("account.get", ["id": "club:payee"])
            #expect(payee.integer("balance_msat") == Int64(Self.rounds) * Self.amountMsat)
            let succeededOutside = try await outsider.call("payment.list", ["status": "succeeded"])
            // The funding payment and every round the outsider won.
            #expect(succeededOutside["items"]?.arrayValue?.count == 1 + Self.rounds - insideWins)
            let audit = try await wallet.call("ledger.audit")
            #expect(audit["clean"] == .bool(true), "\(audit)")
            #expect(audit.integer("node_msat") == funds + Int64(Self.rounds - insideWins) * Self.amountMsat)
        }
    }
}
