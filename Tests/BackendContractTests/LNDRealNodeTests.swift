import BOLT11
import Foundation
import LNDBackend
import Lightning
import Logging
import TestSupport
import Testing

/// What a live LND does that a fast, public, never-silent simulator hid (issue 19), provoked through the
/// simulator: private channels, LND's exact not-found answers, silent subscriptions, slow payments.
@Suite struct LNDRealNodeTests {
    /// alice ── bob ══ carol, where bob–carol is private (carol's only channel).
    static let topology = [
        "--nodes", "alice,bob,carol", "--channel", "alice:bob:1000000",
        "--channel", "carol:bob:1000000:500000:private",
    ]

    @Test(.timeLimit(.minutes(3))) func realNodeBehaviour() async throws {
        let sim = try await LNDSimService.start(Self.topology)
        let logger = RecordingLogHandler.logger(RecordingLogHandler.Lines())
        var bob = sim.configuration("bob")
        bob.subscriptionIdleTimeout = .seconds(2)
        let configurations = [sim.configuration("alice", requestTimeout: .seconds(3)), bob, sim.configuration("carol")]
        try await withCleanup {
            try await sim.withBackends(configurations, logger: logger) { backends in
                let nodes = RealNodes(sim: sim, alice: backends[0], bob: backends[1], carol: backends[2])
                try await nodes.privateChannelsNeedRouteHints()
                try await nodes.onlyLNDsOwnAnswerMeansNeverSent()
                try await nodes.smallAnswers()
                try await nodes.silentSubscriptionIsReopened()
                try await nodes.slowPaymentsDoNotStarveCalls()
            }
        } finally: {
            await sim.stop()
        }
    }
}

private struct RealNodes {
    let sim: LNDSimService
    let alice: LNDBackend
    let bob: LNDBackend
    let carol: LNDBackend

    /// carol's invoices carry route hints to her private channel, so alice can pay them; without `private`
    /// the same invoice finds no route.
    func privateChannelsNeedRouteHints() async throws {
        let invoice = try await carol.createInvoice(BackendContract.request(10_000, "private"))
        let hints = try Invoice(bolt11: invoice.bolt11).fields.routeHints
        #expect(hints.count == 1, "an invoice of a node with only private channels needs a route hint")
        guard case .succeeded = try await BackendContract.pay(alice, invoice.bolt11) else {
            Issue.record("the invoice of a node with only private channels could not be paid")
            return
        }
        #expect(try await carol.invoice(for: invoice.paymentHash).status == .paid)
        var publicOnly = sim.configuration("carol")
        publicOnly.privateInvoices = false
        let hidden = try LNDBackend(configuration: publicOnly, logger: Logger(label: "test"))
        try await withCleanup {
            let unreachable = try await hidden.createInvoice(BackendContract.request(10_000, "public only"))
            #expect(try await BackendContract.pay(alice, unreachable.bolt11) == .failed(.noRoute))
        } finally: {
            await hidden.shutdown()
        }
    }

    /// A 404 that is not LND's `payment isn't initiated` (a proxy's, a gateway's) leaves the payment pending:
    /// `payment(for:)` throws instead of saying "never sent".
    func onlyLNDsOwnAnswerMeansNeverSent() async throws {
        let unknown = Preimage.random().paymentHash
        #expect(try await alice.payment(for: unknown) == nil)
        try await sim.control(
            "/v1/fault",
            #"{"node":"alice","kind":"error","endpoint":"/v2/router/track","grpc_code":5,"message":"Not Found","times":1}"#
        )
        await BackendContract.expectError(.failure) { try await alice.payment(for: unknown) }
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"clear"}"#)
    }

    /// Cancel of an unknown hash, an expiry over LND's limit, a second send while the first is INITIATED.
    func smallAnswers() async throws {
        await BackendContract.expectError(.notFound) { try await bob.cancelInvoice(Preimage.random().paymentHash) }
        let tooLong = InvoiceRequest(
            amount: MilliSatoshi(1_000), description: "long", descriptionHash: nil, expirySeconds: 31_536_001,
            preimage: nil)
        await BackendContract.expectError(.invalidRequest) { try await bob.createInvoice(tooLong) }
        let target = try await bob.createInvoice(BackendContract.request(2_000, "initiated"))
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"stall_payments","enabled":true}"#)
        #expect(try await BackendContract.pay(alice, target.bolt11, timeoutSeconds: 1) == .pending)
        await BackendContract.expectError(.inFlight) { try await BackendContract.pay(alice, target.bolt11) }
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"clear"}"#)
    }

    /// The subscription goes silent (connection open, nothing arrives): the settlement after it is still
    /// delivered, within the idle timeout (2 s here) plus a request.
    func silentSubscriptionIsReopened() async throws {
        let first = try await bob.createInvoice(BackendContract.request(3_000, "before the drop"))
        try await BackendContract.expectPaid(alice, first)
        let index = try #require(try await bob.invoice(for: first.paymentHash).settleIndex)
        try await sim.control(
            "/v1/fault",
            #"{"node":"bob","kind":"drop_stream","endpoint":"/v1/invoices/subscribe","after":1,"silent":true,"times":1}"#
        )
        // The next invoice is paid once the stream delivered its one message (the first settlement again) and
        // went silent.
        let next = try await bob.createInvoice(BackendContract.request(4_000, "after the drop"))
        let delivered = try await BackendContract.settlements(
            bob.settlements(after: index - 1), until: next.paymentHash, timeout: .seconds(10)
        ) { [alice] settlement in
            if settlement.paymentHash == first.paymentHash { try await BackendContract.expectPaid(alice, next) }
        }
        #expect(delivered.map(\.paymentHash) == [first.paymentHash, next.paymentHash])
        try await sim.control("/v1/fault", #"{"node":"bob","kind":"clear"}"#)
    }

    /// Ten payments held in flight at real latencies (every call 100-300 ms): GetInfo still answers at once,
    /// as streams have their own connections.
    func slowPaymentsDoNotStarveCalls() async throws {
        try await sim.control(
            "/v1/fault", #"{"node":"alice","kind":"latency","endpoint":"*","min_ms":100,"max_ms":300}"#)
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"hold_payments","enabled":true}"#)
        var invoices: [CreatedInvoice] = []
        for amount in 1...10 {
            invoices.append(try await bob.createInvoice(BackendContract.request(Int64(amount) * 1_000, "held")))
        }
        let clock = ContinuousClock()
        try await withThrowingTaskGroup(of: PaymentOutcome.self) { group in
            for invoice in invoices {
                group.addTask { try await BackendContract.pay(alice, invoice.bolt11, timeoutSeconds: 8) }
            }
            let hashes = invoices.map(\.paymentHash.hex)
            try await eventually("the ten payments are in flight at alice", timeout: .seconds(15)) {
                let counters = try await sim.paymentCounters()
                return hashes.allSatisfy { counters[$0]?.initiated == 1 }
            }
            let start = clock.now
            #expect(try await alice.nodeInfo().alias == "alice")
            let elapsed = clock.now - start
            #expect(elapsed < .seconds(2), "GetInfo took \(elapsed) with ten payments in flight")
            for try await outcome in group { #expect(outcome == .pending) }
        }
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"clear"}"#)
        for invoice in invoices {
            try await sim.control(
                "/v1/resolve", #"{"node":"alice","payment_hash":"\#(invoice.paymentHash.hex)","outcome":"failed"}"#)
        }
    }
}
