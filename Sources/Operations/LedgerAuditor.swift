import CoreMetrics
import Lightning
import ServiceLifecycle
import Store
import Synchronization

/// Runs `ledger.audit`'s checks in the background every ``interval``, so that `daemon.health` (component
/// `ledger`) and `/metrics` show the state of the books without each probe paying for the audit.
///
/// An audit reads every posting once (the sums per entry and per account), so its cost grows with the journal,
/// unlike the health probes that run every second; balances themselves are rows read in O(1). Each audit
/// records what it cost in `t4gd_ledger_audit_seconds`.
package final class LedgerAuditor: Service, Sendable {
    /// What one audit found.
    package struct Finding: Sendable {
        /// The audit, or `nil` when the store could not run it (``error`` says why).
        let audit: LedgerAudit?
        /// The balance the backend reported then; `nil` when it did not answer (no surplus is known).
        let backendBalance: Int64?
        let error: String?
        let duration: Duration

        /// The backend's balance less what the accounts are owed, when both are known.
        var surplus: Int64? {
            guard let audit, let backendBalance else { return nil }
            return audit.surplus(backendBalance: backendBalance)
        }

        /// The `ledger` health component: `down` (failing) when the audit could not run or the journal is
        /// inconsistent (an entry that does not sum to zero, a balance or held amount that differs from its
        /// postings or holds, a caller's available balance below zero, a hold that outlived its payment);
        /// `degraded` when the books are consistent but the node holds less than the accounts are owed
        /// (`surplus_msat` below zero); else `ok`.
        var component: HealthCheck.Component {
            guard let audit else {
                return HealthCheck.Component(status: .down, latency: duration, error: "audit failed: \(error ?? "")")
            }
            guard audit.isClean else {
                return HealthCheck.Component(status: .down, latency: duration, error: Self.problems(audit))
            }
            if let surplus, surplus < 0 {
                return HealthCheck.Component(
                    status: .degraded, latency: duration,
                    error: "surplus_msat \(surplus): the node holds less than the accounts are owed")
            }
            return HealthCheck.Component(ok: true, latency: duration, error: nil)
        }

        private static func problems(_ audit: LedgerAudit) -> String {
            let counts = [
                (audit.unbalancedEntries.count, "entries that do not sum to zero"),
                (audit.mismatchedAccounts.count, "balances that differ from their postings or holds"),
                (audit.negativeAccounts.count, "accounts below zero"),
                (audit.staleHolds.count, "holds that outlived their payment"),
            ].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
            let books = audit.liabilities == audit.nodeBalance ? [] : ["liabilities differ from @node"]
            return "ledger audit: " + (counts + books).joined(separator: ", ")
        }
    }

    private let store: Store
    private let backend: any LightningBackend
    /// How long between two audits.
    let interval: Duration
    private let latest: Mutex<Finding?> = Mutex(nil)
    private let surplusMsat: Gauge
    private let liabilitiesMsat: Gauge
    private let nodeMsat: Gauge
    private let auditSeconds: Gauge
    private let auditFailures: Counter

    /// An auditor of `store` against `backend`'s balance every `interval`, recording into `factory`:
    /// `t4gd_ledger_surplus_msat`, `t4gd_ledger_liabilities_msat`, `t4gd_ledger_node_msat`,
    /// `t4gd_ledger_audit_seconds` and `t4gd_ledger_audit_failures_total` (audits whose component is not `ok`).
    package init(store: Store, backend: any LightningBackend, interval: Duration, factory: any MetricsFactory) {
        self.store = store
        self.backend = backend
        self.interval = interval
        surplusMsat = Gauge(label: "t4gd_ledger_surplus_msat", factory: factory)
        liabilitiesMsat = Gauge(label: "t4gd_ledger_liabilities_msat", factory: factory)
        nodeMsat = Gauge(label: "t4gd_ledger_node_msat", factory: factory)
        auditSeconds = Gauge(label: "t4gd_ledger_audit_seconds", factory: factory)
        auditFailures = Counter(label: "t4gd_ledger_audit_failures_total", factory: factory)
    }

    /// Audits now and records the finding and the metrics; the daemon does this once before it serves.
    package func auditNow() async {
        let start = ContinuousClock.now
        var audit: LedgerAudit?
        var problem: String?
        do {
            audit = try await store.ledgerAudit()
        } catch {
            problem = "\(error)"
        }
        let backendBalance = try? await backend.balance().balance.rawValue
        // A stop interrupts the audit: nothing was found wrong.
        guard !Task.isCancelled else { return }
        record(
            Finding(
                audit: audit, backendBalance: backendBalance, error: problem, duration: ContinuousClock.now - start))
    }

    /// Audits every interval until graceful shutdown, which ends the wait at once (the interval is long: a stop
    /// must not wait for it).
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.interval)
                guard !Task.isCancelled else { return }
                await self.auditNow()
            }
        }
    }

    /// The latest finding's health component; `down` before the first audit.
    var component: HealthCheck.Component {
        latest.withLock { $0 }?.component
            ?? HealthCheck.Component(ok: false, latency: .zero, error: "not audited yet")
    }

    private func record(_ finding: Finding) {
        latest.withLock { $0 = finding }
        let duration = finding.duration.components
        auditSeconds.record(Double(duration.seconds) + Double(duration.attoseconds) / 1e18)
        if let audit = finding.audit {
            liabilitiesMsat.record(audit.liabilities)
            nodeMsat.record(audit.nodeBalance)
        }
        if let surplus = finding.surplus { surplusMsat.record(surplus) }
        if !finding.component.ok { auditFailures.increment() }
    }
}
