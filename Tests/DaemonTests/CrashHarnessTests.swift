import Foundation
import JSONRPC
import TestSupport
import Testing

/// The crash-safety harness (``CrashHarness``) on the dev network and on the LND simulator: repeated SIGKILLs
/// at random moments and at named fault points, with every invariant checked after every cycle.
@Suite(.serialized) struct CrashHarnessTests {
    @Test(.timeLimit(.minutes(30)))
    func devNetworkKeepsItsInvariantsAcrossRepeatedKills() async throws {
        try await DevNetwork.run { network in
            let ledger = network.ledgerPath
            var harness = CrashHarness(
                payee: try await network.daemon(), payer: try await network.daemon(), withProofs: true,
                withAccounts: true,
                networkView: { try CrashInvariants.readDevLedger(ledger) },
                restart: { daemon, environment in try await network.restart(daemon, environment: environment) })
            let result = try await harness.run(cycles: CrashHarness.cycles, label: "dev")
            #expect(result.violations.isEmpty, "\(result.violations)")
            #expect(result.lines.count == CrashHarness.cycles)
        }
    }

    @Test(.timeLimit(.minutes(30)))
    func lndSimulatorKeepsItsInvariantsAcrossRepeatedKills() async throws {
        let sim = try await LNDSimService.start(["--nodes", "alice,bob", "--channel", "alice:bob:5000000:0"])
        try await withCleanup {
            try await DevNetwork.run { network in
                let payer = network.adopt(
                    try await DaemonProcess(config: RealBackendTests.lndConfig(sim.node("alice"))))
                let payee = network.adopt(try await DaemonProcess(config: RealBackendTests.lndConfig(sim.node("bob"))))
                var harness = CrashHarness(
                    payee: payee, payer: payer, withProofs: false, withAccounts: false,
                    networkView: { try Self.simulatorView(try await sim.currentState()) },
                    restart: { daemon, environment in try await network.restart(daemon, environment: environment) })
                let result = try await harness.run(cycles: CrashHarness.cycles, label: "lnd-sim")
                #expect(result.violations.isEmpty, "\(result.violations)")
                #expect(result.lines.count == CrashHarness.cycles)
            }
        } finally: {
            await sim.stop()
        }
    }

    /// The simulator's record: a hash settled more than once is paid twice; money is conserved when every
    /// channel's two balances add up to its capacity (nothing in flight once reconciled).
    static func simulatorView(_ text: String) throws -> CrashInvariants.NetworkView {
        let state = try JSONValue.parse(Array(text.utf8))
        let counters = state["payment_hashes"]?.objectValue ?? [:]
        let succeeded = Dictionary(
            uniqueKeysWithValues: counters.map { ($0.key, $0.value["succeeded"]?.int64Value ?? 0) })
        var conserved = true
        var capacity: Int64 = 0
        for channel in state["nodes"]?["alice"]?["channels"]?.arrayValue ?? [] {
            let total = channel.integer("local_balance_msat") + channel.integer("remote_balance_msat")
            capacity += channel.integer("capacity_sat") * 1000
            conserved = conserved && total == channel.integer("capacity_sat") * 1000
        }
        let paid = succeeded.filter { $0.value >= 1 }.keys
        return CrashInvariants.NetworkView(
            paidHashes: Set(paid), paidTwice: succeeded.filter { $0.value > 1 }.keys.sorted(),
            moneyConserved: conserved && capacity > 0,
            detail:
                "simulator: \(paid.count) settled hashes, channel balances = capacity \(capacity) msat: \(conserved)")
    }
}
