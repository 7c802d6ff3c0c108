import BOLT11
import DevBackend
import Lightning
import Logging
import Secp256k1
import Synchronization
import TestSupport
import Testing

@Suite struct DevBackendTests {
    let directory = TemporaryDirectory()
    let logger = Logger(label: "test")

    func node(
        _ key: PrivateKey = .random(), balance: Int64 = 1_000_000,
        clock: @escaping @Sendable () -> Int64 = {
            1_800_000_000
        }
    ) throws -> DevBackend {
        try DevBackend(
            configuration: .init(
                ledgerPath: directory.file("ledger.sqlite"), network: .regtest, startingBalance: MilliSatoshi(balance),
                feeBase: MilliSatoshi(1000), feeProportionalMillionths: 1000, pollInterval: .milliseconds(5)),
            nodeKey: key, logger: logger, clock: clock)
    }

    func pay(_ payer: DevBackend, _ bolt11: String, amount: Int64? = nil, maxFee: Int64 = 100_000) async throws
        -> PaymentOutcome
    {
        let invoice = try Invoice(bolt11: bolt11)
        let amount =
            amount.map(MilliSatoshi.init(rawValue:)) ?? MilliSatoshi(rawValue: Int64(invoice.fields.amountMsat!))
        return try await payer.pay(
            PaymentRequest(invoice: invoice, amount: amount, maxFee: MilliSatoshi(rawValue: maxFee), timeoutSeconds: 5))
    }

    func request(_ msat: Int64?, expiry: UInt64 = 3600) -> InvoiceRequest {
        InvoiceRequest(
            amount: msat.map(MilliSatoshi.init(rawValue:)), description: "coffee", descriptionHash: nil,
            expirySeconds: expiry, preimage: nil)
    }

    @Test func aPaymentMovesMoneyAtomicallyAndSettlesTheInvoice() async throws {
        defer { directory.remove() }
        let alice = try node()
        let bob = try node()
        let invoice = try await bob.createInvoice(request(50_000))
        let decoded = try Invoice(bolt11: invoice.bolt11)
        #expect(decoded.fields.network == .regtest)
        #expect(decoded.payee.compressed.hex == (try await bob.nodeInfo()).pubkey)
        guard case .succeeded(let preimage, let fee) = try await pay(alice, invoice.bolt11) else {
            Issue.record("payment did not succeed")
            return
        }
        #expect(preimage.paymentHash == invoice.paymentHash)
        #expect(fee == MilliSatoshi(1050))
        #expect((try await alice.balance()).balance == MilliSatoshi(1_000_000 - 50_000 - 1050))
        #expect((try await bob.balance()).balance == MilliSatoshi(1_050_000))
        let state = try await bob.invoice(for: invoice.paymentHash)
        #expect(state.status == .paid)
        #expect(state.preimage == preimage)
        #expect(try await alice.payment(for: invoice.paymentHash) == .succeeded(preimage: preimage, fee: fee))
        #expect(try await bob.payment(for: invoice.paymentHash) == nil)
        var settlements = bob.settlements(after: 0).makeAsyncIterator()
        let settlement = try await settlements.next()
        #expect(settlement?.paymentHash == invoice.paymentHash)
        #expect(settlement?.amountReceived == MilliSatoshi(50_000))
    }

    @Test func failuresHaveTheirReasons() async throws {
        defer { directory.remove() }
        let alice = try node(balance: 10_000)
        let bob = try node()
        let carol = try node()
        let big = try await bob.createInvoice(request(1_000_000))
        #expect(try await pay(alice, big.bolt11) == .failed(.insufficientBalance))
        #expect((try await alice.balance()).balance == MilliSatoshi(10_000))
        let small = try await bob.createInvoice(request(1_000))
        #expect(try await pay(alice, small.bolt11, maxFee: 10) == .failed(.noRoute))
        let outsider = try InvoiceFields(
            network: .regtest, amountMsat: 1000, timestamp: 1_800_000_000,
            paymentHash: Preimage.random().paymentHash.bytes, paymentSecret: SecureRandom.bytes(count: 32),
            description: "not on this network"
        ).encode(signingWith: .random())
        #expect(try await pay(alice, outsider) == .failed(.noRoute))
        #expect(try await pay(carol, small.bolt11) != .failed(.noRoute))
        await #expect(throws: BackendError.self) { try await pay(alice, small.bolt11) }
        await #expect(throws: BackendError.self) { try await pay(bob, small.bolt11) }
        let canceled = try await bob.createInvoice(request(1_000))
        try await bob.cancelInvoice(canceled.paymentHash)
        #expect(try await pay(carol, canceled.bolt11) == .failed(.incorrectPaymentDetails))
        #expect(
            try await pay(carol, (try await bob.createInvoice(request(nil))).bolt11, amount: 777) != .failed(.noRoute))
    }

    @Test func amountsWhoseFeeOrCreditOverflowsInt64FailInsteadOfTrapping() async throws {
        defer { directory.remove() }
        let alice = try node()
        let bob = try node()
        // amount × fee rate overflows Int64 from about 9.2e15 msat on: the fee is computed checked.
        let outcomes: [(Int64, PaymentOutcome)] = [
            (10_000_000_000_000_000, .failed(.insufficientBalance)),
            (2_100_000_000_000_000_000, .failed(.insufficientBalance)),
            (Int64.max, .failed(.noRoute)),  // amount + fee itself overflows
        ]
        for (amount, outcome) in outcomes {
            let invoice = try await bob.createInvoice(request(nil))
            #expect(try await pay(alice, invoice.bolt11, amount: amount, maxFee: Int64.max) == outcome)
        }
        // A payee whose balance cannot take the amount: refused before any money moves.
        let rich = try node(balance: Int64.max - 10)
        let invoice = try await rich.createInvoice(request(1_000))
        #expect(try await pay(alice, invoice.bolt11) == .failed(.noRoute))
        #expect((try await alice.balance()).balance == MilliSatoshi(1_000_000))
        #expect(MilliSatoshi(2_100_000_000_000_000_000).partsPerMillion(1000) == MilliSatoshi(2_100_000_000_000_000))
        #expect(MilliSatoshi(1_234_567).partsPerMillion(1000) == MilliSatoshi(1_234))
        #expect(MilliSatoshi(Int64.max).partsPerMillion(2_000_000) == nil)
        #expect(MilliSatoshi(Int64.max).adding(MilliSatoshi(1)) == nil)
    }

    @Test func expiredInvoicesCannotBePaid() async throws {
        defer { directory.remove() }
        let now = ManualClock(1_800_000_000)
        let alice = try node(clock: { now.value })
        let bob = try node(clock: { now.value })
        let invoice = try await bob.createInvoice(request(1_000, expiry: 60))
        now.value += 61
        #expect(try await bob.invoice(for: invoice.paymentHash).status == .expired)
        #expect(try await pay(alice, invoice.bolt11) == .failed(.invoiceExpired))
    }

    @Test func refusesMainnet() {
        #expect(throws: BackendError.self) {
            try DevBackend(
                configuration: .init(ledgerPath: directory.file("l.sqlite"), network: .mainnet), nodeKey: .random(),
                logger: logger)
        }
    }
}

/// A settable clock for tests.
final class ManualClock: Sendable {
    private let storage: Mutex<Int64>

    init(_ start: Int64) { storage = Mutex(start) }

    var value: Int64 {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
