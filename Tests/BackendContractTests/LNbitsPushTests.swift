import BOLT11
import Foundation
import LNbitsBackend
import Lightning
import Logging
import Synchronization
import TestSupport
import Testing

/// LNbits' WebSocket push against a real LNbits 1.6.2. The payee polls only every ``pollInterval`` (ten
/// minutes), so within a test only push (and the poll after each reconnect of the push channel) can deliver a
/// settlement. Every wait is bounded by ``bound``, a fifth of the poll interval, not by a tight wall-clock time:
/// a machine loaded by other suites may delay a push by seconds without failing the test, while an arrival
/// within the bound still proves that polling did not deliver it. The payee reaches LNbits through a
/// ``TCPProxy`` that the test silences, cuts and makes refuse connections.
@Suite struct LNbitsPushTests {
    static let pollInterval = Duration.seconds(600)
    static let bound = pollInterval / 5
    /// The payee's ping interval: a silent push channel is given up after two of them.
    static let pingInterval = Duration.seconds(2)

    /// Settlements with the time they arrived, collected by a reader that resumes the stream after the last
    /// settle index it saw whenever the stream ends (as the daemon's `SettlementWatcher` does).
    final class Arrivals: Sendable {
        private let storage = Mutex<(arrivals: [PaymentHash: ContinuousClock.Instant], interruptions: Int)>(([:], 0))
        func record(_ hash: PaymentHash) { storage.withLock { $0.arrivals[hash] = .now } }
        func interrupted() { storage.withLock { $0.interruptions += 1 } }
        func arrival(of hash: PaymentHash) -> ContinuousClock.Instant? { storage.withLock { $0.arrivals[hash] } }
        var interruptions: Int { storage.withLock { $0.interruptions } }

        /// When `hash` arrived, waiting at most `limit` for it.
        func wait(for hash: PaymentHash, upTo limit: Duration = LNbitsPushTests.bound) async throws
            -> ContinuousClock.Instant?
        {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if let arrival = arrival(of: hash) { return arrival }
                try await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }

        /// Reads `backend`'s settlements until cancelled.
        func follow(_ backend: LNbitsBackend) async {
            var after: UInt64 = 0
            while !Task.isCancelled {
                do {
                    for try await settlement in backend.settlements(after: after) {
                        record(settlement.paymentHash)
                        after = settlement.settleIndex
                    }
                } catch {
                    interrupted()
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    @Test(.timeLimit(.minutes(10))) func settlementsArriveByPush() async throws {
        try await exercise(droppingTheSocket: false)
    }

    /// The push channel is dropped twice: silently (the proxy drops its bytes, as a dead network path would;
    /// only the missing pong can tell), then by a cut while the proxy refuses new connections (LNbits
    /// unreachable). Each time the drop is noticed, the channel reconnects, and settlements arrive again; the
    /// one paid while LNbits is unreachable arrives by the poll that follows the reconnect.
    @Test(.timeLimit(.minutes(10))) func settlementsArriveAfterThePushSocketDrops() async throws {
        try await exercise(droppingTheSocket: true)
    }

    private func exercise(droppingTheSocket: Bool) async throws {
        let service = try await LNbitsService.start()
        try await withCleanup {
            let payerWallet = try await service.createWallet("A")
            let payeeWallet = try await service.createWallet("B")
            try await service.fund(payerWallet, sats: 10_000)
            let proxy = try await TCPProxy.start(to: try #require(URL(string: service.url)?.port))
            let lines = RecordingLogHandler.Lines()
            let payer = LNbitsBackend(
                configuration: .init(
                    baseURL: service.url, invoiceKey: payerWallet.inkey, adminKey: payerWallet.adminkey,
                    network: .mainnet),
                logger: Logger(label: "payer"))
            let payee = LNbitsBackend(
                configuration: .init(
                    baseURL: "http://127.0.0.1:\(proxy.port)", invoiceKey: payeeWallet.inkey, adminKey: nil,
                    network: .mainnet, pollInterval: Self.pollInterval, pingInterval: Self.pingInterval),
                logger: RecordingLogHandler.logger(lines))
            let invoicer = LNbitsBackend(
                configuration: .init(
                    baseURL: service.url, invoiceKey: payeeWallet.inkey, adminKey: nil, network: .mainnet,
                    push: false),
                logger: Logger(label: "invoicer"))
            let arrivals = Arrivals()
            let reader = Task { await arrivals.follow(payee) }
            try await withCleanup {
                try await payer.start()
                try await payee.start()
                /// Waits at most `limit` for `condition` to hold.
                func eventually(upTo limit: Duration = Self.bound, _ condition: () -> Bool) async throws -> Bool {
                    let deadline = ContinuousClock.now + limit
                    while ContinuousClock.now < deadline {
                        if condition() { return true }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    return false
                }
                /// Whether a line after the first `skipping` holds `text`.
                func logged(_ text: String, skipping: Int = 0) -> Bool {
                    lines.all.dropFirst(skipping).contains { $0.contains(text) }
                }
                #expect(try await eventually { logged("LNbits push channel open") })
                func pay() async throws -> (PaymentHash, ContinuousClock.Instant) {
                    let invoice = try await invoicer.createInvoice(
                        InvoiceRequest(
                            amount: MilliSatoshi(21_000), description: "push", descriptionHash: nil,
                            expirySeconds: 600, preimage: nil))
                    let paidAt = ContinuousClock.now
                    let outcome = try await payer.pay(
                        PaymentRequest(
                            invoice: try Invoice(bolt11: invoice.bolt11), amount: MilliSatoshi(21_000),
                            maxFee: MilliSatoshi(10_000), timeoutSeconds: 30))
                    guard case .succeeded = outcome else { throw BackendError(.failure, "not paid: \(outcome)") }
                    return (invoice.paymentHash, paidAt)
                }
                func expectPushed(_ note: Comment) async throws {
                    let (hash, paidAt) = try await pay()
                    let arrival = try await arrivals.wait(for: hash)
                    #expect(arrival.map { $0 - paidAt < Self.bound } == true, note)
                }
                for _ in 0..<3 { try await expectPushed("pushed (polling alone would take 10 min)") }
                #expect(!lines.all.contains { $0.contains(payeeWallet.inkey) }, "the key is in no log line")
                guard droppingTheSocket else { return }

                // Silent drop: nothing reaches either side, no FIN, no RST. Two ping intervals without a frame
                // (the second after an unanswered ping) close the channel, and it reconnects.
                // (The channel may be between connections when a loaded LNbits missed a pong: wait for one.)
                #expect(try await eventually { proxy.silenceWebSockets() >= 1 })
                let silenced = ContinuousClock.now
                var mark = lines.all.count
                #expect(
                    try await eventually { logged("LNbits push channel closed", skipping: mark) },
                    "\(lines.all.suffix(8))")
                #expect(
                    ContinuousClock.now - silenced < Self.pingInterval * 2 + .seconds(10),
                    "a silent channel is given up after two ping intervals")
                #expect(try await eventually { logged("LNbits push channel open", skipping: mark) })
                try await expectPushed("pushed again after the silent drop")

                // Cut, with LNbits unreachable for a while. The close is seen at once (the push channel logs
                // it) unless a poll was in flight through the proxy: then that poll fails and the stream ends
                // with `unavailable`, which the reader resumes.
                mark = lines.all.count
                let interruptions = arrivals.interruptions
                proxy.refuse(true)
                proxy.cutAll()
                #expect(
                    try await eventually {
                        logged("LNbits push channel closed", skipping: mark) || arrivals.interruptions > interruptions
                    }, "\(lines.all.suffix(8))")
                let (missed, _) = try await pay()
                // The backend tried LNbits again after the payment (a reconnect or a poll, refused).
                let refusals = proxy.refusals
                #expect(try await eventually { proxy.refusals > refusals }, "no attempt to reach LNbits")
                #expect(arrivals.arrival(of: missed) == nil, "nothing can deliver while LNbits is unreachable")
                proxy.refuse(false)
                #expect(try await arrivals.wait(for: missed) != nil, "the reconnect's poll fills the gap")
                try await expectPushed("pushed again after the reconnect")
                #expect(!lines.all.contains { $0.contains(payeeWallet.inkey) }, "the key is in no log line")
            } finally: {
                reader.cancel()
                await payer.shutdown()
                await payee.shutdown()
                await invoicer.shutdown()
                await proxy.stop()
            }
        } finally: {
            await service.stop()
        }
    }
}
