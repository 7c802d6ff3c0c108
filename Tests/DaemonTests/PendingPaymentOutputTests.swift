import Foundation
import JSONRPC
import Logging
import RPCServer
import TestSupport
import Testing

/// `t4gctl pay` when the payment is still pending at the timeout, against a stand-in daemon that answers
/// payment.send with a pending payment: the status line shows the state while on a terminal, and both on a
/// terminal and on a pipe t4gctl says what to do.
@Suite(.timeLimit(.minutes(2))) struct PendingPaymentOutputTests {
    /// Answers payment.send with a pending payment (on a terminal, once payment.get was asked: the status line
    /// has then shown the state) and payment.get with the same payment.
    struct PendingPayments: RPCService {
        let paymentHash: String
        let waitForPoll: Bool
        let polled = Flag()

        actor Flag {
            private(set) var isSet = false
            func set() { isSet = true }
        }

        var payment: JSONValue {
            [
                "payment_hash": .string(paymentHash), "status": "pending", "amount_msat": 4_000, "fee_msat": .null,
                "created_at": 1_796_607_627,
            ]
        }

        func handle(_ request: RPCRequest, context: RPCRequestContext) async throws(RPCError) -> JSONValue {
            switch request.method {
            case "payment.get":
                await polled.set()
                return payment
            case "payment.send":
                let deadline = ContinuousClock.now + .seconds(20)
                while waitForPoll, await !polled.isSet, ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return payment
            default:
                throw RPCError(.methodNotFound)
            }
        }
    }

    /// Serves `service` on a socket in `directory` while `body` runs.
    func serving(
        _ service: PendingPayments, in directory: TemporaryDirectory, _ body: (String) async throws -> Void
    ) async throws {
        let path = directory.file("fake.sock")
        let server = RPCServer(
            configuration: .init(socketPath: path), service: service,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await server.run() }
        defer { task.cancel() }
        try await server.waitUntilListening()
        try await body(path)
    }

    @Test(arguments: [false, true])
    func aPaymentStillPendingSaysWhatToDo(onTerminal: Bool) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let vector = SpecVector.all.valid[0]
        let paymentHash = try #require(vector.payment_hash)
        let service = PendingPayments(paymentHash: paymentHash, waitForPoll: onTerminal)
        try await serving(service, in: directory) { socket in
            let result = try await TerminalOutputTests.run(
                ["pay", vector.invoice, "--socket", socket], terminal: onTerminal)
            #expect(result.status == 0)
            let everything = result.stdout + result.stderr
            #expect(
                everything.contains(
                    "note: the payment is still pending: it is not failed and may still succeed, so do not pay this"
                        + " invoice again another way. Follow it with: t4gctl payment get \(paymentHash)"),
                "\(everything)")
            #expect(everything.contains("pending"))
            if onTerminal {
                #expect(everything.contains(": pending, "), "the status line showed the state: \(everything)")
                #expect(everything.contains("\u{1B}[33mpending"), "pending in yellow")
            } else {
                #expect(!everything.contains("\u{1B}"), "no status line, no colour on a pipe")
            }
        }
    }
}
