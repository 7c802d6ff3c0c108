import Foundation
import JSONRPC
import TestSupport
import Testing

/// Model-based replay test: random sequences of writes (invoices, payments, proof issues and transfers), each
/// call repeated at once, concurrently from two clients, after the invoice expired, after a client disconnect
/// mid-call, or after a kill -9 (mid-call) and restart of either daemon. The final stores, dev ledger and event
/// logs must equal those of the same logical writes done once, and every repeat must name the first call's
/// object.
///
/// `T4GD_REPLAY_OPS` operations (default 30, the CI form), `T4GD_REPLAY_SEED` (default 1),
/// `T4GD_REPLAY_ENGINE` (`sqlite` or `postgres`); `scripts/replay-model.sh` runs the long form.
@Suite(.serialized) struct ReplayModelTests {
    static let environment = ProcessInfo.processInfo.environment
    static var operations: Int { Int(environment["T4GD_REPLAY_OPS"] ?? "") ?? 30 }
    static var seed: UInt64 { UInt64(environment["T4GD_REPLAY_SEED"] ?? "") ?? 1 }
    static var engine: String { environment["T4GD_REPLAY_ENGINE"] ?? "sqlite" }

    @Test func repeatedWritesLeaveTheStateOfWritesDoneOnce() async throws {
        var generator = SeededGenerator(state: Self.seed)
        let model = ReplayModel(count: Self.operations, generator: &generator)
        let start = ContinuousClock.now
        try await DevNetwork.run(engine: Self.engine) { network in
            var run = ReplayRun(
                network: network, payee: try await network.daemon(), payer: try await network.daemon(), model: model)
            try await run.play()
            let actual = try await run.finalState()
            #expect(actual == model.expected, "seed \(Self.seed)")
            #expect(run.mismatches.isEmpty, "\(run.mismatches)")
            let elapsed = ContinuousClock.now - start
            print(
                "replay model: engine \(Self.engine) seed \(Self.seed) operations \(model.operations.count)"
                    + " calls \(model.repetitions.count) repetitions \(run.counts.sorted { $0.key < $1.key })"
                    + " in \(elapsed)")
        }
    }
}

/// One run of a ``ReplayModel`` against two daemons.
struct ReplayRun {
    let network: DevNetwork
    var payee: DaemonProcess
    var payer: DaemonProcess
    let model: ReplayModel
    /// Repeats whose answer named another object than the first call's, or was not marked replayed.
    var mismatches: [String] = []
    var counts: [String: Int] = [:]

    private var invoices: [String: JSONValue] = [:]
    private var proofIDs: [String] = []
    private var callIndex = 0

    init(network: DevNetwork, payee: DaemonProcess, payer: DaemonProcess, model: ReplayModel) {
        self.network = network
        self.payee = payee
        self.payer = payer
        self.model = model
    }

    mutating func play() async throws {
        for operation in model.operations {
            switch operation {
            case .sale(let label, let amount, let expiry, let key):
                let invoice = try await call(
                    .payee, "invoice.create",
                    [
                        "amount_msat": .integer(amount), "description": "sale", "label": .string(label),
                        "expiry_s": .integer(expiry),
                    ], id: "payment_hash")
                invoices[label] = invoice
                _ = try await call(
                    .payer, "payment.send",
                    ["bolt11": .string(invoice.string("bolt11")), "idempotency_key": .string(key)],
                    id: "payment_hash", expiresAt: invoice.integer("expires_at"))
            case .issue(let owner, let key):
                let proof = try await call(
                    .payee, "proof.create",
                    [
                        "kind": "replay", "owner": .string(owner), "fields": ["n": .string(key)],
                        "idempotency_key": .string(key),
                    ], id: "proof_id")
                proofIDs.append(proof.string("proof_id"))
            case .transfer(let proof, let to, let key):
                _ = try await call(
                    .payee, "proof.transfer",
                    ["proof_id": .string(proofIDs[proof]), "to": .string(to), "idempotency_key": .string(key)],
                    id: "transition_id")
            }
        }
    }

    /// Makes one call with its repetition; returns the answer the caller keeps and records mismatches.
    private mutating func call(
        _ side: ReplayModel.Side, _ method: String, _ params: JSONObject, id: String, expiresAt: Int64? = nil
    ) async throws -> JSONValue {
        let repetition = model.repetitions[callIndex]
        callIndex += 1
        counts[repetition.rawValue, default: 0] += 1
        let daemon = side == .payee ? payee : payer
        var answers: [JSONValue] = []
        switch repetition {
        case .once:
            return try await daemon.call(method, params)
        case .atOnce:
            answers = [try await daemon.call(method, params), try await daemon.call(method, params)]
        case .concurrently:
            async let first = daemon.call(method, params)
            async let second = daemon.call(method, params)
            answers = try await [first, second]
        case .afterDisconnect:
            let client = try await daemon.client()
            let cut = Task { try? await client.call(method, params: params) }
            await client.close()
            _ = await cut.value
            return try await daemon.call(method, params)
        case .afterExpiry:
            answers = [try await daemon.call(method, params)]
            let deadline = ContinuousClock.now + .seconds(10)
            while Int64(Date().timeIntervalSince1970) <= expiresAt ?? 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            answers.append(try await daemon.call(method, params))
        case .afterPayeeKill, .afterPayerKill:
            let victim: ReplayModel.Side = repetition == .afterPayeeKill ? .payee : .payer
            let cut = Task { [daemon] in try? await daemon.call(method, params) }
            try await restart(victim)
            _ = await cut.value
            return try await (side == .payee ? payee : payer).call(method, params)
        }
        let ids = Set(answers.map { $0.string(id) })
        let replayed = answers.map { $0["replayed"] == .bool(true) }
        // Exactly one of the calls did the write; the other answered it as a replay.
        if ids.count != 1 || replayed.filter({ !$0 }).count != 1 {
            mismatches.append("\(method) \(repetition.rawValue): ids \(ids) replayed \(replayed)")
        }
        return answers[0]
    }

    /// SIGKILLs the daemon on `side` and starts it again on its data.
    private mutating func restart(_ side: ReplayModel.Side) async throws {
        let victim = side == .payee ? payee : payer
        await victim.kill()
        let restarted = try await network.restart(victim)
        if side == .payee { payee = restarted } else { payer = restarted }
    }

    /// The state the daemons and the ledger reached, once every payment and settlement is final.
    func finalState() async throws -> ReplayModel.Expected {
        var state = ReplayModel.Expected()
        let deadline = ContinuousClock.now + .seconds(30)
        var payments: [JSONValue] = []
        var invoiceList: [JSONValue] = []
        repeat {
            payments = try await payer.call("payment.list", ["limit": 1000])["items"]?.arrayValue ?? []
            invoiceList = try await payee.call("invoice.list", ["limit": 1000])["items"]?.arrayValue ?? []
            let settled =
                payments.allSatisfy { $0.string("status") != "pending" }
                && invoiceList.filter { $0.string("status") == "paid" }.count >= payments.count
            if settled { break }
            try await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline
        state.paymentsSucceeded = payments.filter { $0.string("status") == "succeeded" }.count
        state.invoicesPaid = invoiceList.filter { $0.string("status") == "paid" }.count
        state.payeeBalance = try await payee.call("wallet.balance").integer("balance_msat")
        state.payerBalance = try await payer.call("wallet.balance").integer("balance_msat")
        let proofs = try await payee.call("proof.list", ["limit": 1000])["items"]?.arrayValue ?? []
        state.proofs = proofs.map { "\($0.string("owner_account"))#\($0.integer("sequence"))" }.sorted()
        for event in try await payee.call("events.list", ["limit": 1000]).arrayValue ?? [] {
            state.payeeEvents[event.string("type"), default: 0] += 1
        }
        for event in try await payer.call("events.list", ["limit": 1000]).arrayValue ?? [] {
            // A payment cut off by a kill before it reached the backend is failed as not_sent, then paid by the
            // repeat: the failure is the honest record of that attempt, not a second payment.
            if event.string("type") == "payment.failed", event["data"]?.string("failure_reason") == "not_sent" {
                continue
            }
            state.payerEvents[event.string("type"), default: 0] += 1
        }
        return state
    }
}
