import JSONRPC
import Store
import Testing

@testable import Operations
@testable import Wallet

/// `daemon.health`'s verdict from a measurement, by value.
@Suite struct HealthReportTests {
    private let up = HealthCheck.Component(ok: true, latency: .milliseconds(1), error: nil)
    private let down = HealthCheck.Component(ok: false, latency: .seconds(2), error: "no answer within 2 s")
    private let cluster = ClusterStatus(owner: InstanceOwner(name: "east", startID: "s1"))

    private func report(
        store: HealthCheck.Component, backend: HealthCheck.Component, ledger: HealthCheck.Component? = nil,
        reconciled: Bool = true, measuredAgo: Duration = .milliseconds(300)
    ) -> HealthMonitor.Report {
        let now = ContinuousClock.now
        return HealthMonitor.Report(
            measurement: HealthCheck.Measurement(store: store, backend: backend, finishedAt: now - measuredAgo),
            ledger: ledger ?? up, reconciled: reconciled, cluster: cluster, at: now, stalledAfter: .seconds(5))
    }

    private func audit(
        unbalanced: [Int64] = [], mismatched: [String] = [], negative: [String] = [], liabilities: Int64 = 5_000,
        node: Int64 = 5_000
    ) -> LedgerAudit {
        LedgerAudit(
            entries: 2, postings: 4, unbalancedEntries: unbalanced, mismatchedAccounts: mismatched,
            negativeAccounts: negative, staleHolds: [], liabilities: liabilities, nodeBalance: node)
    }

    private func finding(_ audit: LedgerAudit?, backendBalance: Int64? = 5_000) -> LedgerAuditor.Finding {
        LedgerAuditor.Finding(
            audit: audit, backendBalance: backendBalance, error: audit == nil ? "store database: closed" : nil,
            duration: .milliseconds(40))
    }

    /// The ledger component fails on an inconsistent journal, is degraded when the node holds less than the
    /// accounts are owed, and is ok otherwise (an unknown backend balance is no finding).
    @Test func theLedgerComponentFollowsTheAudit() {
        #expect(finding(audit()).component.status == .ok)
        #expect(finding(audit(), backendBalance: nil).component.status == .ok)
        #expect(finding(audit(), backendBalance: 5_000).surplus == 0)
        let short = finding(audit(), backendBalance: 4_999)
        #expect(short.surplus == -1 && short.component.status == .degraded)
        #expect(short.component.error == "surplus_msat -1: the node holds less than the accounts are owed")
        let broken = finding(audit(unbalanced: [7], mismatched: ["user:1", "user:2"]))
        #expect(broken.component.status == .down)
        #expect(
            broken.component.error
                == "ledger audit: 1 entries that do not sum to zero, 2 balances that differ from their postings or holds"
        )
        #expect(finding(audit(negative: ["user:3"])).component.error == "ledger audit: 1 accounts below zero")
        #expect(
            finding(audit(liabilities: 5_000, node: 4_000)).component.error
                == "ledger audit: liabilities differ from @node")
        #expect(finding(nil).component.status == .down)
        #expect(finding(nil).component.error == "audit failed: store database: closed")
    }

    /// A ledger problem degrades the daemon's status but does not take it out of traffic.
    @Test func aLedgerProblemDegradesWithoutRefusingTraffic() {
        let failing = HealthCheck.Component(status: .down, latency: .zero, error: "ledger audit: 1 accounts below zero")
        let degraded = report(store: up, backend: up, ledger: failing)
        #expect(degraded.status == "degraded" && degraded.ready)
        #expect(degraded.json["components"]?["ledger"]?["status"] == "down")
        #expect(report(store: up, backend: up).json["components"]?["ledger"]?["status"] == "ok")
    }

    @Test func statusFollowsTheComponents() {
        #expect(report(store: up, backend: up).status == "ok")
        #expect(report(store: up, backend: up).ready)
        #expect(report(store: up, backend: down).status == "degraded")
        #expect(report(store: up, backend: up, reconciled: false).status == "degraded")
        #expect(report(store: down, backend: up).status == "down")
        #expect(!report(store: up, backend: down).ready)
    }

    @Test func aReportSaysHowOldItsMeasurementIs() {
        let json = report(store: up, backend: up, measuredAgo: .milliseconds(750)).json
        #expect(json["measured_ms_ago"] == 750)
        #expect(json["components"]?["backend"]?["status"] == "ok")
    }

    @Test func aReportNamesThisInstanceItsLeadershipAndTheLiveInstances() {
        cluster.setLeadsSettlements(true)
        cluster.setLiveInstances(3)
        #expect(
            report(store: up, backend: up).json["instance"]
                == ["name": "east", "process": "east/s1", "leads_settlements": true, "live_instances": 3])
    }

    /// A measurement that never finishes (the store or the backend hangs) must not leave an old `ok` standing.
    @Test func aStalledMeasurementReportsTheDaemonDown() {
        let stalled = report(store: up, backend: up, measuredAgo: .seconds(9))
        #expect(stalled.status == "down")
        #expect(stalled.json["components"]?["store"]?["error"]?.stringValue?.contains("9 s") == true)
    }
}
