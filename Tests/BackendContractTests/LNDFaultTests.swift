import BOLT11
import Foundation
import LNDBackend
import Lightning
import Logging
import TestSupport
import Testing

/// LND failures, provoked through the simulator's control API: refused connections, foreign credentials and
/// certificates, another network, a slow node, broken streams and held payments.
@Suite struct LNDFaultTests {
    @Test(.timeLimit(.minutes(3))) func faults() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let sim = try await LNDSimService.start(["--nodes", "alice,bob", "--channel", "alice:bob:1000000"])
        let lines = RecordingLogHandler.Lines()
        let logger = RecordingLogHandler.logger(lines)
        try await withCleanup {
            try await sim.withBackends(
                [sim.configuration("alice", requestTimeout: .seconds(3)), sim.configuration("bob")], logger: logger
            ) { backends in
                let faults = Faults(sim: sim, alice: backends[0], bob: backends[1], logger: logger)
                try await faults.refusedConnection()
                try await faults.foreignCredentials()
                try await faults.slowNode()
                try await faults.droppedPaymentStream()
                try await faults.errorAfterDispatch()
                try await faults.heldPayment()
                try await faults.droppedSubscription()
            }
        } finally: {
            await sim.stop()
        }
        for node in sim.state.nodes.values {
            #expect(!lines.all.contains { $0.contains(node.admin_macaroon_hex) }, "a macaroon was logged")
        }
        print("LND fault timings: \(clock.now - started) in all")
    }
}

/// The fault scenarios, each leaving the simulator without faults.
private struct Faults {
    let sim: LNDSimService
    let alice: LNDBackend
    let bob: LNDBackend
    let logger: Logger

    func invoice(_ msat: Int64) async throws -> CreatedInvoice {
        try await bob.createInvoice(BackendContract.request(msat, "fault"))
    }

    /// Polls alice's view of a payment until it is final; fails after 30 s.
    func finalOutcome(_ hash: PaymentHash) async throws -> PaymentOutcome? {
        let outcome = try await settledValue {
            try await alice.payment(for: hash)
        } until: {
            $0 != nil && $0 != .pending
        }
        guard let outcome, outcome != .pending else {
            Issue.record("the payment \(hash) never ended")
            return nil
        }
        return outcome
    }

    /// LND down: calls fail with `unavailable` at once and nothing is paid.
    func refusedConnection() async throws {
        let pending = try await invoice(1_000)
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"refuse","enabled":true}"#)
        let clock = ContinuousClock()
        let start = clock.now
        await BackendContract.expectError(.unavailable) { try await alice.nodeInfo() }
        #expect(clock.now - start < .seconds(2))
        await BackendContract.expectError(.unavailable) { try await BackendContract.pay(alice, pending.bolt11) }
        await BackendContract.expectError(.unavailable) { try await alice.payment(for: pending.paymentHash) }
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"refuse","enabled":false}"#)
        #expect(try await alice.nodeInfo().alias == "alice")
        #expect(try await alice.payment(for: pending.paymentHash) == nil)
    }

    /// Another node's macaroon, garbage, no file, another node's certificate, another network.
    func foreignCredentials() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let bobHex = sim.node("bob").admin_macaroon_hex
        let foreign = sim.configuration("alice", macaroonPath: sim.node("bob").admin_macaroon)
        do {
            _ = try await LNDBackend.connect(configuration: foreign, logger: logger)
            Issue.record("bob's macaroon opened alice")
        } catch {
            #expect(error.code == .unauthorized)
            #expect(!error.description.contains(bobHex))
            #expect(!error.description.contains(bobHex.prefix(32)))
        }
        let garbage = directory.file("garbage.macaroon")
        _ = FileManager.default.createFile(
            atPath: garbage, contents: Data((0..<64).map { _ in UInt8.random(in: 0...255) }))
        await BackendContract.expectError(.unauthorized) {
            try await LNDBackend.connect(
                configuration: sim.configuration("alice", macaroonPath: garbage), logger: logger)
        }
        await BackendContract.expectError(.unauthorized) {
            try LNDBackend(
                configuration: sim.configuration("alice", macaroonPath: directory.file("missing")), logger: logger)
        }
        await BackendContract.expectError(.unavailable) {
            try await LNDBackend.connect(
                configuration: sim.configuration("alice", tlsCertPath: sim.node("bob").tls_cert), logger: logger)
        }
        await BackendContract.expectError(.networkMismatch) {
            try await LNDBackend.connect(configuration: sim.configuration("alice", network: .testnet), logger: logger)
        }
    }

    /// A node slower than the deadline: `timeout` when the deadline passes, not later.
    func slowNode() async throws {
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"delay","ms":6000}"#)
        let clock = ContinuousClock()
        let start = clock.now
        await BackendContract.expectError(.timeout) { try await alice.balance() }
        let elapsed = clock.now - start
        #expect(elapsed >= .seconds(3) && elapsed < .seconds(5), "timed out after \(elapsed), deadline 3 s")
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"clear"}"#)
    }

    /// The payment stream breaks after its first update: `pay` says pending (or unavailable), and
    /// `payment(for:)` later tells the real outcome; the invoice was paid once.
    func droppedPaymentStream() async throws {
        let target = try await invoice(2_000)
        try await sim.control(
            "/v1/fault", #"{"node":"alice","kind":"drop_stream","endpoint":"/v2/router/send","after":1,"times":1}"#)
        do {
            #expect(try await BackendContract.pay(alice, target.bolt11) == .pending)
        } catch let error as BackendError {
            #expect(error.code == .unavailable)
        }
        guard case .succeeded(let preimage, _) = try await finalOutcome(target.paymentHash) else {
            Issue.record("the dropped payment did not succeed")
            return
        }
        #expect(preimage.paymentHash == target.paymentHash)
        #expect(try await bob.invoice(for: target.paymentHash).status == .paid)
        await BackendContract.expectError(.alreadyPaid) { try await BackendContract.pay(alice, target.bolt11) }
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"clear"}"#)
    }

    /// LND takes the payment, then answers 500: `pay` must not call that a failure.
    func errorAfterDispatch() async throws {
        let target = try await invoice(3_000)
        try await sim.control(
            "/v1/fault",
            #"{"node":"alice","kind":"error","endpoint":"/v2/router/send","grpc_code":2,"message":"boom","times":1,"phase":"after"}"#
        )
        #expect(try await BackendContract.pay(alice, target.bolt11) == .pending)
        guard case .succeeded = try await finalOutcome(target.paymentHash) else {
            Issue.record("the payment answered with an error did not succeed")
            return
        }
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"clear"}"#)
    }

    /// A held payment: pending past the caller's timeout, `inFlight` when sent again, then resolved.
    func heldPayment() async throws {
        let target = try await invoice(4_000)
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"hold_payments","enabled":true}"#)
        #expect(try await BackendContract.pay(alice, target.bolt11, timeoutSeconds: 1) == .pending)
        #expect(try await alice.payment(for: target.paymentHash) == .pending)
        #expect(try await bob.invoice(for: target.paymentHash).status == .open)
        await BackendContract.expectError(.inFlight) { try await BackendContract.pay(alice, target.bolt11) }
        try await sim.control(
            "/v1/resolve", #"{"node":"alice","payment_hash":"\#(target.paymentHash.hex)","outcome":"succeeded"}"#)
        guard case .succeeded(let preimage, _) = try await finalOutcome(target.paymentHash) else {
            Issue.record("the held payment did not succeed")
            return
        }
        #expect(try await bob.invoice(for: target.paymentHash).preimage == preimage)
        try await sim.control("/v1/fault", #"{"node":"alice","kind":"clear"}"#)
    }

    /// The invoice subscription breaks: the stream ends with `unavailable`, and resuming after the last index
    /// delivers what follows.
    func droppedSubscription() async throws {
        let settled = try await invoice(5_000)
        try await BackendContract.expectPaid(alice, settled)
        let index = try #require(try await bob.invoice(for: settled.paymentHash).settleIndex)
        try await sim.control(
            "/v1/fault", #"{"node":"bob","kind":"drop_stream","endpoint":"/v1/invoices/subscribe","after":1,"times":1}"#
        )
        var delivered: [InvoiceSettlement] = []
        do {
            for try await settlement in bob.settlements(after: index - 1) { delivered.append(settlement) }
            Issue.record("the dropped subscription ended without an error")
        } catch let error as BackendError {
            #expect(error.code == .unavailable)
        }
        #expect(delivered.map(\.settleIndex) == [index])
        // Resumed from before the last index, the subscription is open once it delivered that settlement again;
        // only then is the next invoice paid, so the stream must deliver it live.
        let next = try await invoice(6_000)
        let resumed = try await BackendContract.settlements(bob.settlements(after: index - 1), until: next.paymentHash)
        {
            [alice] settlement in
            if settlement.paymentHash == settled.paymentHash {
                try await BackendContract.expectPaid(alice, next)
            }
        }
        #expect(resumed.map(\.paymentHash) == [settled.paymentHash, next.paymentHash])
        try await sim.control("/v1/fault", #"{"node":"bob","kind":"clear"}"#)
    }
}
