import JSONRPC
import Lightning
import RPCClient
import Store
import Testing

@testable import Wallet

/// `account.statement` as the wire shows it, through the RPC service served in process: a payment in flight is a
/// `pending` line beside its hold, then one `settled` line; a failed payment is a `failed` line that moves
/// nothing; an unknown status is refused.
@Suite struct AccountStatementTests {
    static let payer = InternalSettlementTests.payer

    /// The statement of the payer with `params`.
    static func statement(_ client: RPCClient, _ params: JSONObject = [:]) async throws -> JSONValue {
        var params = params
        params["id"] = .string(payer)
        return try await client.call("account.statement", params: params)
    }

    @Test func aPaymentInFlightIsPendingThenSettledOnce() async throws {
        try await DaemonHarness.run { harness in
            try await InternalSettlementTests.accounts(harness)
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(30_000))
            harness.backend.script(invoice.hash, .held)
            let sending = Task {
                try await harness.payments.send(DaemonHarness.send(invoice.bolt11, account: Self.payer))
            }
            await harness.backend.waitForPayCall(invoice.hash)
            let maxFee = try #require(try await harness.store.payment(paymentHash: invoice.hash)).maxFee.rawValue
            try await harness.serving { client in
                #expect(
                    try await client.call("account.get", params: ["id": .string(Self.payer)])["held_msat"]
                        == .integer(30_000 + maxFee))
                let pending = try await Self.statement(client)
                #expect(pending["items"]?.arrayValue?.map { $0["status"] } == ["pending", "settled"])
                let line = try #require(pending["items"]?.arrayValue?.first)
                #expect(line["kind"] == "payment" && line["direction"] == "out")
                #expect(line["amount_msat"] == .integer(-30_000) && line["fee_msat"] == .null)
                #expect(line["entry_id"] == .null && line["counterparty"] == .string(AccountRecord.node))
                #expect(line["payment_hash"] == .string(invoice.hash.hex))
                #expect(line["description"] == "scripted", "read from the bolt11 it pays")
                #expect(line["at"] == .integer(harness.clock.now))
                #expect(pending["totals"] == ["in_msat": 100_000, "out_msat": 30_000, "fees_msat": 0, "count": 2])

                harness.backend.release(
                    invoice.hash, with: .succeeded(preimage: invoice.preimage, fee: MilliSatoshi(20)))
                #expect(try await sending.value.value.status == .succeeded)
                let settled = try await Self.statement(client)
                #expect(settled["items"]?.arrayValue?.map { $0["status"] } == ["settled", "settled"])
                let paid = try #require(settled["items"]?.arrayValue?.first)
                #expect(paid["payment_hash"] == .string(invoice.hash.hex) && paid["description"] == "scripted")
                #expect(paid["amount_msat"] == .integer(-30_020) && paid["fee_msat"] == .integer(20))
                #expect(settled["totals"] == ["in_msat": 100_000, "out_msat": 30_020, "fees_msat": 20, "count": 2])
                #expect(try await Self.statement(client, ["status": "pending"])["items"] == [])
            }
        }
    }

    @Test func aFailedPaymentIsListedFailedAndCountedOnly() async throws {
        try await DaemonHarness.run { harness in
            try await InternalSettlementTests.accounts(harness)
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(5_000))
            harness.backend.script(invoice.hash, .answer(.failed(.noRoute)))
            let failure = await DaemonHarness.wireError {
                try await harness.payments.send(DaemonHarness.send(invoice.bolt11, account: Self.payer))
            }
            #expect(failure != nil)
            try await harness.serving { client in
                let failed = try await Self.statement(client, ["status": "failed", "direction": "out"])
                #expect(failed["items"]?.arrayValue?.map { $0["payment_hash"] } == [.string(invoice.hash.hex)])
                #expect(failed["items"]?.arrayValue?.first?["amount_msat"] == .integer(-5_000))
                #expect(failed["totals"] == ["in_msat": 0, "out_msat": 0, "fees_msat": 0, "count": 1])
                let everything = try await Self.statement(client)
                #expect(everything["items"]?.arrayValue?.map { $0["status"] } == ["failed", "settled"])
                #expect(everything["totals"] == ["in_msat": 100_000, "out_msat": 0, "fees_msat": 0, "count": 2])
            }
        }
    }

    @Test func anUnknownStatusIsRefusedAsInvalidParams() async throws {
        try await DaemonHarness.run { harness in
            try await InternalSettlementTests.accounts(harness)
            try await harness.serving { client in
                do {
                    _ = try await Self.statement(client, ["status": "succeeded"])
                    Issue.record("an unknown status was accepted")
                } catch let error as RPCError {
                    #expect(error.reason == .invalidParams && error.code == -32602)
                    #expect(error.message == "'status' must be one of: settled, pending, failed")
                }
            }
        }
    }
}
