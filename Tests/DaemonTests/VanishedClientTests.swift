import Foundation
import JSONRPC
import TestSupport
import Testing

/// Clients that send a long wait and vanish give their in-flight units back at once: the daemon-wide budget
/// (`[rpc] max_in_flight`, seen as `t4gd_rpc_requests_in_flight`) is free again for others, and a payment whose
/// caller vanished still completes and is recorded.
@Suite struct VanishedClientTests {
    /// How long a test waits for an observable state before it fails.
    static let bound = Duration.seconds(60)

    @Test(.timeLimit(.minutes(5)))
    func aThousandVanishedInvoiceWaitsLeaveTheBudgetFree() async throws {
        try await DevNetwork.run { network in
            let daemon = try await network.daemon(extra: "[rpc]\nmax_in_flight = 1000")
            let port = try await daemon.metricsPort()
            let invoice = try await daemon.call("invoice.create", ["amount_msat": 5_000, "description": "never paid"])
            let wait = Self.line("invoice.wait", "\"payment_hash\":\"\(invoice.string("payment_hash"))\"")

            var clients: [UnixStreamSocket] = []
            for _ in 0..<1000 {
                let client = try UnixStreamSocket(path: daemon.socketPath)
                try client.send(wait)
                clients.append(client)
            }
            try await Self.inFlight("1000 invoice.wait in flight", port: port) { $0 == 1000 }
            let refused = try await daemon.error(
                "invoice.wait", ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 1])
            #expect(refused?.reason == .overloaded, "the budget of 1000 is full: \(String(describing: refused))")

            for client in clients { client.close() }
            try await Self.inFlight("no request in flight once the clients vanished", port: port) { $0 == 0 }
            let answered = try await daemon.call(
                "invoice.wait", ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 1])
            #expect(answered.string("status") == "open")
            #expect(daemon.isRunning)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func aVanishedPaymentSendStillCompletesAndIsRecorded() async throws {
        try await DevNetwork.run { network in
            let payee = try await network.daemon()
            // Every payment stays in flight for 40 s, long after its caller is gone (15 s were once not enough:
            // on a loaded CI machine the payment ended before the steps below had seen its unit come back).
            let payer = try await network.daemon(extra: "payment_latency = \"40000\"")
            let port = try await payer.metricsPort()
            let invoice = try await payee.call("invoice.create", ["amount_msat": 21_000, "description": "vanished"])
            let hash = invoice.string("payment_hash")

            let client = try UnixStreamSocket(path: payer.socketPath)
            try client.send(Self.line("payment.send", "\"bolt11\":\"\(invoice.string("bolt11"))\""))
            try await Self.inFlight("the payment.send in flight", port: port) { $0 == 1 }
            try await eventually("the payment is stored pending", timeout: Self.bound) {
                try await payer.call("payment.get", ["payment_hash": .string(hash)]).string("status") == "pending"
            }

            client.close()
            try await Self.inFlight("the vanished payment.send's unit given back", port: port) { $0 == 0 }
            let meanwhile = try await payer.call("payment.get", ["payment_hash": .string(hash)])
            #expect(meanwhile.string("status") == "pending", "the unit came back before the payment ended")

            try await eventually("the payment recorded as succeeded", timeout: Self.bound) {
                try await payer.call("payment.get", ["payment_hash": .string(hash)]).string("status") == "succeeded"
            }
            let payment = try await payer.call("payment.get", ["payment_hash": .string(hash)])
            #expect(payment.integer("amount_msat") == 21_000)
            #expect(payment.string("preimage").count == 64)
            // The payee learns of the settlement from its own watcher, a moment after the payer.
            let paid = try await settledValue(timeout: Self.bound) {
                try await payee.call("invoice.get", ["payment_hash": .string(hash)])
            } until: {
                $0.string("status") != "open"
            }
            #expect(paid.string("status") == "paid")
            #expect(paid.string("preimage") == payment.string("preimage"))
        }
    }

    /// One request line asking `method` with these params and an hour to wait.
    private static func line(_ method: String, _ params: String) -> String {
        #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":{\#(params),"timeout_s":3600}}"# + "\n"
    }

    /// Polls `t4gd_rpc_requests_in_flight` on the operations listener until `condition` holds for it.
    private static func inFlight(
        _ what: String, port: Int,
        _ condition: (Double) -> Bool
    ) async throws {
        let last = try await settledValue(timeout: bound) {
            let metrics = try HTTPProbe.get("/metrics", port: port).body
            let gauge = metrics.split(separator: "\n").first { $0.hasPrefix("t4gd_rpc_requests_in_flight ") }
            return gauge.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
        } until: {
            $0.map(condition) ?? false
        }
        try #require(last.map(condition) == true, "\(what): t4gd_rpc_requests_in_flight is \(String(describing: last))")
    }
}
