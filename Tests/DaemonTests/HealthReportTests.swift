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
        store: HealthCheck.Component, backend: HealthCheck.Component, reconciled: Bool = true,
        measuredAgo: Duration = .milliseconds(300)
    ) -> HealthMonitor.Report {
        let now = ContinuousClock.now
        return HealthMonitor.Report(
            measurement: HealthCheck.Measurement(store: store, backend: backend, finishedAt: now - measuredAgo),
            reconciled: reconciled, cluster: cluster, at: now, stalledAfter: .seconds(5))
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
