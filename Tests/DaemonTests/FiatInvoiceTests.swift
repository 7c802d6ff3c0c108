import Foundation
import JSONRPC
import TestSupport
import Testing

/// Fiat amounts through a real daemon whose rate sources are HTTP stubs on 127.0.0.1: the conversion recorded
/// with the invoice, a replay after the rate moved, and what is refused.
@Suite(.timeLimit(.minutes(3))) struct FiatInvoiceTests {
    static func krakenBody(_ price: String) -> String {
        #"{"error":[],"result":{"XXBTZEUR":{"c":["\#(price)","0.1"]}}}"#
    }
    static func geckoBody(_ price: String) -> String { #"{"bitcoin":{"eur":\#(price)}}"# }

    /// `[rates]` with two sources on the stubs, polled every second.
    static func ratesSection(_ kraken: HTTPStubServer, _ gecko: HTTPStubServer) -> String {
        """
        [rates]
        poll_interval_s = 1
        min_sources = 2
        max_spread_bps = 100
        [[rates.source]]
        name = "kraken"
        url = "\(kraken.url("/0/public/Ticker?pair=XBT{CURRENCY}"))"
        path = "result.XXBTZ{CURRENCY}.c.0"
        currencies = ["EUR"]
        [[rates.source]]
        name = "gecko"
        url = "\(gecko.url("/api/v3/simple/price?ids=bitcoin&vs_currencies={currency}"))"
        path = "bitcoin.{currency}"
        currencies = ["EUR"]

        """
    }

    /// Runs `body` on a dev network whose first daemon (`rated`) quotes EUR from two stubs answering `price`.
    static func withRatedDaemon(
        price: String,
        _ body: (_ rated: DaemonProcess, _ network: DevNetwork, _ kraken: HTTPStubServer, _ gecko: HTTPStubServer)
            async throws -> Void
    ) async throws {
        let kraken = try await HTTPStubServer(reply: .json(krakenBody(price)))
        let gecko = try await HTTPStubServer(reply: .json(geckoBody(price)))
        do {
            try await DevNetwork.run { network in
                let rated = try await network.daemon(extra: ratesSection(kraken, gecko))
                _ = try await waitForRate(price, on: rated)
                try await body(rated, network, kraken, gecko)
            }
        } catch {
            await kraken.close()
            await gecko.close()
            throw error
        }
        await kraken.close()
        await gecko.close()
    }

    /// Polls `rates.get` until its rate is `expected` (a decimal string, or nil for no rate), within 20 s.
    static func waitForRate(_ expected: String?, on daemon: DaemonProcess) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let report = try await daemon.call("rates.get", ["currency": "EUR"])
            if report["rate"]?.stringValue == expected || ContinuousClock.now > deadline { return report }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test func aFiatInvoiceKeepsItsRateAndAReplayAfterTheRateMovedReturnsIt() async throws {
        try await Self.withRatedDaemon(price: "85000") { alice, _, kraken, gecko in
            let report = try await Self.waitForRate("85000", on: alice)
            #expect(report.string("rate") == "85000")
            #expect(report["sources"] == ["kraken", "gecko"])
            #expect(report["quotes"]?.arrayValue?.map { $0.string("use") } == ["used", "used"])

            let params: JSONObject = [
                "fiat": ["currency": "EUR", "amount": "78.50"], "description": "coffee beans", "label": "order-7",
            ]
            let invoice = try await alice.call("invoice.create", params)
            // ceil(78.50 * 10^11 / 85000) = ceil(92,352,941.17...) msat.
            #expect(invoice.integer("amount_msat") == 92_352_942)
            let fiat = try #require(invoice["fiat"])
            #expect(fiat.string("currency") == "EUR")
            #expect(fiat.string("amount") == "78.50")
            #expect(fiat.string("rate") == "85000")
            #expect(fiat["sources"] == ["kraken", "gecko"])
            #expect(fiat.integer("at") > 0)

            kraken.answer(.json(Self.krakenBody("90000")))
            gecko.answer(.json(Self.geckoBody("90000")))
            #expect(try await Self.waitForRate("90000", on: alice).string("rate") == "90000")
            let replay = try await alice.call("invoice.create", params)
            #expect(replay.string("payment_hash") == invoice.string("payment_hash"))
            #expect(replay.integer("amount_msat") == 92_352_942)
            #expect(replay["fiat"] == invoice["fiat"])
            #expect(replay["replayed"] == true)
            // A new invoice converts at the new rate.
            let later = try await alice.call(
                "invoice.create", ["fiat": ["currency": "EUR", "amount": "78.50"], "description": "later"])
            #expect(later.integer("amount_msat") == 87_222_223)

            // The same through t4gctl.
            let created = try await TerminalOutputTests.run(
                [
                    "invoice", "create", "--fiat", "78.50EUR", "--description", "cli", "--socket", alice.socketPath,
                    "--json",
                ], terminal: false)
            let createdObject = try JSONValue.parse(created.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(createdObject.integer("amount_msat") == 87_222_223, "\(created.stderr)")
            #expect(createdObject["fiat"]?.string("amount") == "78.50")
            let rates = try await TerminalOutputTests.run(
                ["rates", "EUR", "--socket", alice.socketPath], terminal: false)
            #expect(rates.status == 0)
            #expect(rates.stdout.contains("90000"), "\(rates.stdout)")
            let shown = try await TerminalOutputTests.run(
                ["balance", "--currency", "EUR", "--socket", alice.socketPath, "--json"], terminal: false)
            #expect(
                try JSONValue.parse(shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["fiat"]?
                    .string("currency") == "EUR")

            let balance = try await alice.call("wallet.balance", ["currency": "eur"])
            #expect(balance["fiat"]?.string("currency") == "EUR")
            #expect(balance["fiat"]?["estimate"] == true)
            #expect(balance["fiat"]?.string("rate") == "90000")
        }
    }

    @Test func badFiatAmountsAndMissingRatesAreRefusedByName() async throws {
        try await Self.withRatedDaemon(price: "85000") { alice, network, _, gecko in
            func reason(_ fiat: JSONValue, _ extra: JSONObject = [:]) async throws -> String? {
                var params: JSONObject = ["fiat": fiat, "description": "x"]
                for (key, value) in extra { params[key] = value }
                return try await alice.error("invoice.create", params)?.reason.name
            }
            #expect(try await reason(["currency": "EUR", "amount": "1.005"]) == "invalid_amount")
            #expect(try await reason(["currency": "EUR", "amount": "-5"]) == "invalid_amount")
            #expect(try await reason(["currency": "EUR", "amount": "0"]) == "invalid_amount")
            #expect(try await reason(["currency": "EUR", "amount": "1000000000000000"]) == "invalid_amount")
            #expect(try await reason(["currency": "EUR", "amount": 78.5]) == "invalid_params")
            #expect(try await reason(["currency": "XYZ", "amount": "1"]) == "invalid_params")
            #expect(try await reason(["currency": "EUR", "amount": "1"], ["amount_msat": 1000]) == "invalid_amount")
            // A daemon without rate sources converts nothing.
            let plain = try await network.daemon()
            #expect(
                try await plain.error(
                    "invoice.create", ["fiat": ["currency": "EUR", "amount": "1"], "description": "x"])?
                    .reason.name == "rate_unavailable")
            #expect(try await plain.error("rates.get", ["currency": "EUR"])?.reason.name == "rate_unavailable")
            // A currency no source quotes, then sources that disagree past the spread.
            #expect(try await reason(["currency": "USD", "amount": "1"]) == "rate_unavailable")
            gecko.answer(.json(Self.geckoBody("95000")))
            #expect(try await Self.waitForRate(nil, on: alice)["rate"] == .null)
            let error = try await alice.error(
                "invoice.create", ["fiat": ["currency": "EUR", "amount": "10"], "description": "x"])
            #expect(error?.reason.name == "rate_unavailable")
            #expect(error?.data["retry_after_s"] == 1)
        }
    }

    @Test func anAnyAmountInvoicePaidWithAFiatAmountRecordsItsRate() async throws {
        try await Self.withRatedDaemon(price: "85000") { payer, network, _, _ in
            let payee = try await network.daemon()
            let open = try await payee.call("invoice.create", ["description": "tip jar"])
            let params: JSONObject = [
                "bolt11": .string(open.string("bolt11")), "fiat": ["currency": "EUR", "amount": "8.50"],
                "idempotency_key": "tip-1",
            ]
            let payment = try await payer.call("payment.send", params)
            #expect(payment.string("status") == "succeeded")
            // 8.50 EUR at 85,000 EUR/BTC is exactly 0.0001 BTC.
            #expect(payment.integer("amount_msat") == 10_000_000)
            #expect(payment["fiat"]?.string("amount") == "8.50")
            #expect(payment["fiat"]?.string("rate") == "85000")
            // The payee learns of the settlement on its own schedule: wait for it.
            let paid = try await payee.call(
                "invoice.wait", ["payment_hash": .string(open.string("payment_hash")), "timeout_s": 20])
            #expect(paid.string("status") == "paid")
            #expect(paid.integer("amount_received_msat") == 10_000_000)
            let stored = try await payer.call("payment.get", ["idempotency_key": "tip-1"])
            #expect(stored["fiat"] == payment["fiat"])
            let fixed = try await payee.call("invoice.create", ["amount_msat": 5_000, "description": "fixed"])
            let refused = try await payer.error(
                "payment.send",
                ["bolt11": .string(fixed.string("bolt11")), "fiat": ["currency": "EUR", "amount": "1"]])
            #expect(refused?.reason.name == "amount_not_allowed")
        }
    }
}
