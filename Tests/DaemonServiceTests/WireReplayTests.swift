import JSONRPC
import Lightning
import Testing

/// Replays as the wire shows them, through the RPC service served in process: `replayed` in the answer, and a
/// conflict's reason and `data.existing`.
@Suite struct WireReplayTests {
    @Test func invoiceCreateUnderALabelAnswersReplayedWithTheFirstInvoice() async throws {
        try await DaemonHarness.run { harness in
            try await harness.serving { client in
                let params: JSONObject = ["amount_msat": 21_000, "description": "order", "label": "order-1"]
                let first = try await client.call("invoice.create", params: params)
                let again = try await client.call("invoice.create", params: params)
                #expect(first["replayed"] == .bool(false))
                #expect(again["replayed"] == .bool(true))
                #expect(again["payment_hash"] == first["payment_hash"])
                #expect(again["bolt11"] == first["bolt11"])
                var other = params
                other["amount_msat"] = 22_000
                do {
                    _ = try await client.call("invoice.create", params: other)
                    Issue.record("other params under the label were accepted")
                } catch let error as RPCError {
                    #expect(error.reason == .labelConflict)
                    #expect(error.data["existing"]?["payment_hash"] == first["payment_hash"])
                }
                #expect(harness.backend.invoiceCount == 1)
            }
        }
    }

    @Test func paymentSendUnderAKeyAnswersReplayedAndPaysOnce() async throws {
        try await DaemonHarness.run { harness in
            let invoice = try harness.backend.remoteInvoice(amount: MilliSatoshi(30_000))
            try await harness.serving { client in
                let params: JSONObject = ["bolt11": .string(invoice.bolt11), "idempotency_key": "pay-1"]
                let first = try await client.call("payment.send", params: params)
                let again = try await client.call("payment.send", params: params)
                #expect(first["status"] == "succeeded")
                #expect(first["preimage"] == .string(invoice.preimage.hex))
                #expect(first["replayed"] == .bool(false))
                #expect(again["replayed"] == .bool(true))
                #expect(again["payment_hash"] == first["payment_hash"])
                #expect(harness.backend.payCount(invoice.hash) == 1)
            }
        }
    }
}
