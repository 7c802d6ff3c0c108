import JSONRPC
import TestSupport
import Testing

/// SIGKILL inside an internal settlement, an outsider paying the same invoice over Lightning while the daemon is
/// down, then a restart: exactly one of the two payments happens, whichever step the kill interrupted.
@Suite(.serialized) struct InternalSettlementCrashTests {
    static let amountMsat: Int64 = 30_000
    static let funds: Int64 = 100_000

    /// Each fault point with whether the invoice is still payable over Lightning after the kill there.
    static let faultPoints: [(String, Bool)] = [("payment.after_intent", true), ("internal.after_cancel", false)]

    @Test(arguments: StoreEngines.all, faultPoints)
    func aKillInsideAnInternalSettlementEndsWithExactlyOnePayment(engine: String, fault: (String, Bool)) async throws {
        let (point, payableAfterKill) = fault
        try await DevNetwork.run(engine: engine) { network in
            let wallet = try await network.daemon(environment: ["T4GD_FAULT_POINTS": point])
            let outsider = try await network.daemon()
            _ = try await wallet.call("account.create", ["id": "fan:payer"])
            _ = try await wallet.call("account.create", ["id": "club:payee"])
            try await AccountRaceTests.fund("fan:payer", with: Self.funds, on: wallet, from: outsider)
            let invoice = try await wallet.call(
                "invoice.create",
                ["amount_msat": .integer(Self.amountMsat), "description": "crash", "account": "club:payee"])
            let hash = JSONValue.string(invoice.string("payment_hash"))
            let bolt11 = JSONValue.string(invoice.string("bolt11"))
            _ = try? await wallet.call("payment.send", ["bolt11": bolt11, "account": "fan:payer"])
            #expect(await wallet.waitForExit() != 0)

            let outside = await AccountRaceTests.outcome(of: "payment.send", on: outsider, ["bolt11": bolt11])
            let expected: AccountRaceTests.Outcome =
                payableAfterKill ? .succeeded : .refused("incorrect_payment_details")
            #expect(outside == expected)
            let restarted = try await network.restart(wallet)
            var payment = JSONValue.null
            try await eventually("the internal payment is resolved", timeout: .seconds(30)) {
                payment = try await restarted.call("payment.get", ["payment_hash": hash])
                return payment.string("status") != "pending"
            }
            #expect(payment.string("status") == (payableAfterKill ? "failed" : "succeeded"))
            if payableAfterKill { #expect(payment.string("failure_reason") == "already_paid") }
            let paid = try await restarted.call("invoice.wait", ["payment_hash": hash, "timeout_s": 15])
            #expect(paid.string("status") == "paid")
            let payer = try await restarted.call("account.get", ["id": "fan:payer"])
            #expect(payer.integer("balance_msat") == Self.funds - (payableAfterKill ? 0 : Self.amountMsat))
            #expect(payer.integer("held_msat") == 0)
            let payee = try await restarted.call("account.get", ["id": "club:payee"])
            #expect(payee.integer("balance_msat") == Self.amountMsat)
            let audit = try await restarted.call("ledger.audit")
            #expect(audit["clean"] == .bool(true), "\(audit)")
            #expect(audit.integer("node_msat") == Self.funds + (payableAfterKill ? Self.amountMsat : 0))
        }
    }
}
