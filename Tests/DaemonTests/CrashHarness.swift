import Foundation
import JSONRPC
import Synchronization
import TestSupport

/// The repeatable crash-safety harness: load between a payee and a payer daemon, SIGKILL one of them at a
/// random moment or at a named fault-injection point, restart it, wait for reconciliation, and check every
/// invariant of ``CrashInvariants`` after every cycle. With accounts, the load also creates accounts, moves money
/// between them, credits invoices to them, debits payments from them and settles invoices of one account paid by
/// another inside the payee; every cycle then checks each store's ledger audit and its `@node` against the network.
///
/// Cycles: `T4GD_CRASH_CYCLES` (default 20, the CI form; `scripts/crash-harness.sh` runs the long form).
/// With `T4GD_CRASH_REPORT=FILE` each cycle's line is appended to FILE.
struct CrashHarness {
    enum Role: String, Sendable { case payee, payer }

    /// One cycle's crash: whose, and where (`nil`: a random moment during the load).
    struct Plan: Sendable {
        var victim: Role
        var faultPoint: String?
    }

    /// The order of crashes, repeated.
    static let plans: [Plan] = [
        Plan(victim: .payer), Plan(victim: .payer, faultPoint: "payment.after_intent"),
        Plan(victim: .payer, faultPoint: "payment.after_backend"), Plan(victim: .payer), Plan(victim: .payee),
        Plan(victim: .payee, faultPoint: "invoice.after_paid"), Plan(victim: .payee), Plan(victim: .payer),
    ]
    /// Added to ``plans`` when the load has accounts: the payee killed inside an internal settlement.
    static let accountPlans: [Plan] = [Plan(victim: .payee, faultPoint: "internal.after_cancel")]

    static var cycles: Int { Int(ProcessInfo.processInfo.environment["T4GD_CRASH_CYCLES"] ?? "") ?? 20 }

    var payee: DaemonProcess
    var payer: DaemonProcess
    /// Whether the load includes proof transfers bound to payments.
    let withProofs: Bool
    /// Whether the load includes accounts: account-attributed invoices and payments, creations and transfers.
    let withAccounts: Bool
    /// The payment network's record (dev ledger or simulator).
    let networkView: @Sendable () async throws -> CrashInvariants.NetworkView
    /// Starts a daemon again on its data, with this environment.
    let restart: (DaemonProcess, [String: String]) async throws -> DaemonProcess

    /// Runs `cycles` crash cycles; returns one line per cycle and every violated invariant.
    mutating func run(cycles: Int, label: String) async throws -> (lines: [String], violations: [String]) {
        var generator = SeededGenerator(state: 0x7467_6400 + UInt64(cycles))
        let acknowledged = Acknowledged()
        var lines: [String] = []
        if withAccounts { try await openAccounts() }
        let nodeKeys = (
            payee: try await payee.call("wallet.balance").string("wallet_id"),
            payer: try await payer.call("wallet.balance").string("wallet_id")
        )
        let plans = Self.plans + (withAccounts ? Self.accountPlans : [])
        for cycle in 0..<cycles {
            let plan = plans[cycle % plans.count]
            let restart = self.restart
            if let point = plan.faultPoint {
                // Armed only now: armed at the crash restart, the point could fire during start-up catch-up.
                try await replace(plan.victim) { victim in
                    await victim.stop()
                    return try await restart(victim, ["T4GD_FAULT_POINTS": point])
                }
            }
            let victim = plan.victim == .payee ? payee : payer
            let stop = StopFlag()
            let load = Task { [payee, payer, withProofs, withAccounts] in
                await Self.load(
                    payee: payee, payer: payer, mix: (proofs: withProofs, accounts: withAccounts),
                    acknowledged: acknowledged, stop: stop, seed: UInt64(cycle))
            }
            let crash: String
            if let point = plan.faultPoint {
                crash = await Self.waitForFault(victim, point: point)
            } else {
                let delay = Int.random(in: 100...600, using: &generator)
                try await Task.sleep(for: .milliseconds(delay))
                await victim.kill()
                crash = "SIGKILL after \(delay) ms"
            }
            stop.set()
            let operations = await load.value
            try await replace(plan.victim) { try await restart($0, [:]) }
            let (network, payeeStore, payerStore) = try await settledViews()
            let violations = CrashInvariants.violations(
                network: network, payee: payeeStore, payer: payerStore, acknowledged: await acknowledged.snapshot,
                nodeKeys: nodeKeys)
            let snapshot = await acknowledged.snapshot
            let line =
                "\(label) cycle \(cycle + 1)/\(cycles): \(plan.victim.rawValue) killed (\(crash)), \(operations) "
                + "operations; \(network.detail); acknowledged \(snapshot.invoices.count) invoices, "
                + "\(snapshot.payments.count) payments, \(snapshot.proofs.count) proofs, all present; events payee "
                + "1..\(payeeStore.eventMaxIndex), payer 1..\(payerStore.eventMaxIndex); ledgers payee "
                + "\(payeeStore.ledger.postings) postings, payer \(payerStore.ledger.postings) postings, payer @node "
                + "\(payerStore.ledger.nodeBalance) msat; payee settled \(Self.settledInside(payeeStore)) invoices inside; "
                + (violations.isEmpty ? "all invariants hold" : "VIOLATED: \(violations.joined(separator: "; "))")
            print(line)
            Self.appendToReport(line)
            lines.append(line)
            if !violations.isEmpty { return (lines, violations) }
        }
        return (lines, [])
    }

    /// The load's accounts: two on the payee that invoices credit and transfers move money between, and one on
    /// the payer, funded by an invoice the payee pays, that payments are debited from.
    private func openAccounts() async throws {
        for id in Self.payeeAccounts { _ = try await payee.call("account.create", ["id": .string(id)]) }
        _ = try await payer.call("account.create", ["id": .string(Self.payerAccount)])
        let funding = try await payer.call(
            "invoice.create",
            ["amount_msat": 200_000_000, "description": "crash funding", "account": .string(Self.payerAccount)])
        _ = try await payee.call("payment.send", ["bolt11": .string(funding.string("bolt11"))])
        _ = try await payer.call(
            "invoice.wait", ["payment_hash": .string(funding.string("payment_hash")), "timeout_s": 15])
    }

    /// How many of the store's own invoices its accounts paid (settled inside its ledger).
    private static func settledInside(_ store: CrashInvariants.StoreView) -> Int {
        store.payments.filter { $0.value == "succeeded" && store.invoices[$0.key] != nil }.count
    }

    static let payeeAccounts = ["crash:a", "crash:b"]
    static let payerAccount = "crash:spender"

    private mutating func replace(_ role: Role, by body: (DaemonProcess) async throws -> DaemonProcess) async throws {
        switch role {
        case .payee: payee = try await body(payee)
        case .payer: payer = try await body(payer)
        }
    }

    /// Waits (up to 20 s) for reconciliation and settlement catch-up after a restart, then reads all views.
    private func settledViews() async throws -> (
        CrashInvariants.NetworkView, CrashInvariants.StoreView, CrashInvariants.StoreView
    ) {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let network = try await networkView()
            let payeeStore = try await CrashInvariants.readStore("sqlite:" + payee.directory.file("t4gd.sqlite"))
            let payerStore = try await CrashInvariants.readStore("sqlite:" + payer.directory.file("t4gd.sqlite"))
            let reconciled =
                !payerStore.payments.values.contains("pending") && !payeeStore.payments.values.contains("pending")
            let settled = payeeStore.invoices.allSatisfy { hash, status in
                !network.paidHashes.contains(hash) || status == "paid"
            }
            let finalized = payeeStore.pendingTransitionsWithPaidInvoice == 0
            if (reconciled && settled && finalized) || ContinuousClock.now > deadline {
                return (network, payeeStore, payerStore)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits for the victim to kill itself at `point`; kills it after 10 s if the load never reached it.
    private static func waitForFault(_ victim: DaemonProcess, point: String) async -> String {
        let deadline = ContinuousClock.now + .seconds(10)
        while victim.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        guard victim.isRunning else {
            _ = await victim.waitForExit()
            return "fault point \(point)"
        }
        await victim.kill()
        return "fault point \(point) not reached in 10 s; SIGKILL"
    }

    /// Concurrent clients that create invoices on the payee and pay them from the payer (with proofs, some
    /// transfer a proof bound to the payment; with accounts, invoices and payments are attributed to a random
    /// account or none, and some turns create an account or transfer between the payee's two), recording every
    /// answer, until `stop` is set. Calls to a dead daemon fail and are retried after a short pause. Returns the
    /// number of answered operations.
    private static func load(
        payee: DaemonProcess, payer: DaemonProcess, mix: (proofs: Bool, accounts: Bool), acknowledged: Acknowledged,
        stop: StopFlag, seed: UInt64
    ) async -> Int {
        await withTaskGroup(of: Int.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var generator = SeededGenerator(state: seed &* 31 &+ UInt64(worker))
                    var answered = 0
                    var turn = 0
                    while !stop.isSet {
                        turn += 1
                        do {
                            if mix.accounts {
                                answered += try await accountTurn(
                                    on: payee, key: "\(seed)-\(worker)-\(turn)",
                                    choice: Int.random(in: 0..<8, using: &generator), acknowledged: acknowledged)
                            }
                            let bolt11: String
                            if mix.proofs && Int.random(in: 0..<4, using: &generator) == 0 {
                                bolt11 = try await proofTransfer(payee: payee, payer: payer, acknowledged: acknowledged)
                            } else {
                                var request: JSONObject = ["amount_msat": 10_000, "description": "crash load"]
                                let account = Int.random(in: 0...payeeAccounts.count, using: &generator)
                                if mix.accounts && account < payeeAccounts.count {
                                    request["account"] = .string(payeeAccounts[account])
                                }
                                let invoice = try await payee.call("invoice.create", request)
                                await acknowledged.invoice(invoice.string("payment_hash"))
                                bolt11 = invoice.string("bolt11")
                            }
                            answered += 1
                            var send: JSONObject = ["bolt11": .string(bolt11)]
                            if mix.accounts && Bool.random(using: &generator) {
                                send["account"] = .string(payerAccount)
                            }
                            let payment = try await payer.call("payment.send", send)
                            await acknowledged.payment(payment.string("payment_hash"), status: payment.string("status"))
                            answered += 1
                        } catch {
                            try? await Task.sleep(for: .milliseconds(20))
                        }
                    }
                    return answered
                }
            }
            return await group.reduce(0, +)
        }
    }

    /// One account operation on the payee by `choice` (0..<8): 0 creates an account, 1-2 transfer 1,000 msat
    /// between the two load accounts (refused while the source is empty), 3 settles an invoice of one load account
    /// paid by the other inside the payee (refused while the payer is short), the rest do nothing. Returns how many
    /// calls were answered; a refusal is an answer.
    private static func accountTurn(
        on payee: DaemonProcess, key: String, choice: Int, acknowledged: Acknowledged
    ) async throws -> Int {
        switch choice {
        case 0:
            _ = try await payee.call("account.create", ["id": .string("crash:\(key)")])
        case 1, 2:
            let transfer: JSONObject = [
                "from": .string(payeeAccounts[choice - 1]), "to": .string(payeeAccounts[2 - choice]),
                "amount_msat": 1_000, "idempotency_key": .string(key),
            ]
            _ = try await payee.error("account.transfer", transfer)
        case 3:
            let invoice = try await payee.call(
                "invoice.create",
                ["amount_msat": 1_000, "description": "crash internal", "account": .string(payeeAccounts[1])])
            await acknowledged.invoice(invoice.string("payment_hash"))
            _ = try await payee.error(
                "payment.send", ["bolt11": .string(invoice.string("bolt11")), "account": .string(payeeAccounts[0])])
            return 2
        default:
            return 0
        }
        return 1
    }

    /// Issues a proof on the payee and starts its transfer to the payer's account, bound to an invoice.
    private static func proofTransfer(
        payee: DaemonProcess, payer: DaemonProcess, acknowledged: Acknowledged
    ) async throws -> String {
        let proof = try await payee.call(
            "proof.create", ["kind": "mentoring_session", "owner": "account:mentor", "fields": ["topic": "crash"]])
        await acknowledged.proof(proof.string("proof_id"))
        let buyer = try await payer.call("proof.owner_key", ["owner": "account:mentee"]).string("pubkey")
        let transfer = try await payee.call(
            "proof.transfer",
            ["proof_id": .string(proof.string("proof_id")), "to": .string(buyer), "payment": ["amount_msat": 20_000]])
        let invoice = transfer["invoice"] ?? .null
        await acknowledged.invoice(invoice.string("payment_hash"))
        return invoice.string("bolt11")
    }

    private static func appendToReport(_ line: String) {
        guard let path = ProcessInfo.processInfo.environment["T4GD_CRASH_REPORT"] else { return }
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        handle.seekToEndOfFile()
        handle.write(Data((line + "\n").utf8))
        try? handle.close()
    }
}

/// A flag the harness sets to stop its load clients.
final class StopFlag: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}
