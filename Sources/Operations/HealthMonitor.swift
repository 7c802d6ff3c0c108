import JSONRPC
import ServiceLifecycle
import Synchronization
import Wallet

/// Measures the store and the backend at a fixed interval in the background, so that `daemon.health` and
/// `/health/ready` answer at once from the latest measurement, however busy the daemon is, instead of
/// queueing a store read and a backend call behind the requests it serves.
///
/// A report says how old its measurement is (`measured_ms_ago`); a measurement that has not finished for
/// ``stalledAfter`` (the store or the backend hangs past the backend deadline) reports the daemon down.
/// Start-up reconciliation is read live.
package final class HealthMonitor: Service, Sendable {
    /// One report: the latest measurement, seen at ``at``.
    package struct Report: Sendable {
        let measurement: HealthCheck.Measurement
        /// The latest ledger audit's verdict (``LedgerAuditor``).
        let ledger: HealthCheck.Component
        let reconciled: Bool
        let cluster: ClusterStatus
        let at: ContinuousClock.Instant
        let stalledAfter: Duration

        private var age: Duration { at - measurement.finishedAt }
        private var isStalled: Bool { age > stalledAfter }

        var store: HealthCheck.Component {
            guard isStalled else { return measurement.store }
            return HealthCheck.Component(
                ok: false, latency: age,
                error: "no health measurement finished for \(age.components.seconds) s: the store or the backend hangs")
        }

        var reconciliation: HealthCheck.Component {
            HealthCheck.Component(
                ok: reconciled, latency: .zero,
                error: reconciled ? nil : "payments left pending by the previous run are not reconciled yet")
        }

        /// `down` without the store, `degraded` when the store cannot be written, without the backend, before
        /// reconciliation or when the ledger audit finds a problem, else `ok`.
        var status: String {
            guard store.status != .down else { return "down" }
            return serving && ledger.ok ? "ok" : "degraded"
        }

        /// Ready for traffic: the store, the backend and reconciliation are ok. A ledger problem is an alert
        /// (`degraded`, `t4gd_ledger_*`), not a reason to stop serving: refusing traffic would not fix the books.
        var ready: Bool { serving }

        private var serving: Bool { store.ok && measurement.backend.ok && reconciled }

        /// The `daemon.health` result.
        package var json: JSONValue {
            [
                "status": .string(status), "ready": .bool(ready), "components": components,
                "measured_ms_ago": .integer(Int64(age / .milliseconds(1))), "instance": cluster.json,
            ]
        }

        /// Each component's status, latency and error.
        var components: JSONValue {
            [
                "store": store.json, "backend": measurement.backend.json, "reconciliation": reconciliation.json,
                "ledger": ledger.json,
            ]
        }
    }

    private let check: HealthCheck
    private let auditor: LedgerAuditor
    private let gate: PaymentGate
    private let cluster: ClusterStatus
    private let interval: Duration
    private let latest: Mutex<HealthCheck.Measurement?> = Mutex(nil)

    /// A monitor measuring every `interval`, with the latest audit of `auditor` (which audits at its own pace);
    /// reports name this instance from `cluster`.
    package init(
        check: HealthCheck, auditor: LedgerAuditor, gate: PaymentGate, cluster: ClusterStatus, interval: Duration
    ) {
        self.check = check
        self.auditor = auditor
        self.gate = gate
        self.cluster = cluster
        self.interval = interval
    }

    /// Takes one measurement now; the daemon does this once before it serves, so the first report is real.
    package func measureNow() async {
        let measurement = await check.measure()
        latest.withLock { $0 = measurement }
    }

    /// Measures every interval until graceful shutdown.
    package func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: interval)
            await measureNow()
        }
    }

    /// The report for now: the latest measurement and the live reconciliation state.
    package func report() -> Report {
        let measurement =
            latest.withLock { $0 }
            ?? HealthCheck.Measurement(
                store: HealthCheck.Component(ok: false, latency: .zero, error: "not measured yet"),
                backend: HealthCheck.Component(ok: false, latency: .zero, error: "not measured yet"),
                finishedAt: .now)
        return Report(
            measurement: measurement, ledger: auditor.component, reconciled: gate.paymentsAccepted, cluster: cluster,
            at: .now,
            stalledAfter: interval + HealthCheck.backendDeadline + .seconds(2))
    }
}
