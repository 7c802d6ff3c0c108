import BOLT11
import DevBackend
import Lightning
import Logging
import Secp256k1
import TestSupport
import Testing

/// Dev payments that take time (a distribution) or wait to be released, as real ones do.
@Suite struct DevPaymentLatencyTests {
    let directory = TemporaryDirectory()

    func node(_ latency: DevPaymentLatency) throws -> DevBackend {
        try DevBackend(
            configuration: .init(
                ledgerPath: directory.file("ledger.sqlite"), network: .regtest, pollInterval: .milliseconds(5),
                paymentLatency: latency),
            nodeKey: .random(), logger: Logger(label: "test"))
    }

    func pay(_ payer: DevBackend, _ invoice: CreatedInvoice, timeoutSeconds: UInt64) async throws -> PaymentOutcome {
        let decoded = try Invoice(bolt11: invoice.bolt11)
        return try await payer.pay(
            PaymentRequest(
                invoice: decoded, amount: MilliSatoshi(rawValue: Int64(decoded.fields.amountMsat ?? 0)),
                maxFee: MilliSatoshi(rawValue: 100_000), timeoutSeconds: timeoutSeconds))
    }

    func invoice(_ payee: DevBackend) async throws -> CreatedInvoice {
        try await payee.createInvoice(
            InvoiceRequest(
                amount: MilliSatoshi(rawValue: 10_000), description: "slow", descriptionHash: nil, expirySeconds: 3600,
                preimage: nil))
    }

    @Test func parsesLatencies() {
        #expect(DevPaymentLatency("none") == DevPaymentLatency.none)
        #expect(DevPaymentLatency("hold") == .hold)
        #expect(DevPaymentLatency("250") == .uniform(milliseconds: 250...250))
        #expect(DevPaymentLatency("1000-60000") == .uniform(milliseconds: 1000...60000))
        for bad in ["", "-1", "5-1", "1-2-3", "fast", "3600001"] { #expect(DevPaymentLatency(bad) == nil, "\(bad)") }
    }

    @Test(.timeLimit(.minutes(1))) func aHeldPaymentIsPendingUntilReleased() async throws {
        defer { directory.remove() }
        let payer = try node(.hold)
        let payee = try node(.none)
        let target = try await invoice(payee)
        #expect(try await pay(payer, target, timeoutSeconds: 1) == .pending)
        #expect(try await payer.payment(for: target.paymentHash) == .pending)
        #expect(try await payee.invoice(for: target.paymentHash).status == .open)
        do {
            _ = try await pay(payer, target, timeoutSeconds: 1)
            Issue.record("a second payment while the first is in flight was accepted")
        } catch let error as BackendError {
            #expect(error.code == .inFlight)
        }
        payer.release(target.paymentHash)
        let outcome = try await settledValue(timeout: .seconds(10)) {
            try await payer.payment(for: target.paymentHash)
        } until: {
            $0 != .pending
        }
        guard case .succeeded(let preimage, _) = outcome else {
            Issue.record("the released payment ended as \(String(describing: outcome))")
            return
        }
        #expect(preimage.paymentHash == target.paymentHash)
        #expect(try await payee.invoice(for: target.paymentHash).status == .paid)
    }

    @Test(.timeLimit(.minutes(1))) func aSlowPaymentTakesItsLatency() async throws {
        defer { directory.remove() }
        let payer = try node(.uniform(milliseconds: 300...400))
        let payee = try node(.none)
        let target = try await invoice(payee)
        let clock = ContinuousClock()
        let start = clock.now
        guard case .succeeded = try await pay(payer, target, timeoutSeconds: 10) else {
            Issue.record("the slow payment did not succeed")
            return
        }
        #expect(clock.now - start >= .milliseconds(300))
    }
}
