import CoreMetrics
import Store
import Wallet

/// `t4gd_invoices`, `t4gd_payments` and `t4gd_proofs` by status, read from the store when `/metrics` is scraped;
/// and, labelled with this instance's name, `t4gd_instance_leads_settlements` (1 while this instance follows the
/// backend's settlements, else 0) and `t4gd_instances_live` (live instances sharing the store).
package struct StatusGauges: Sendable {
    private let store: Store
    private let cluster: ClusterStatus
    private let invoices: [String: Gauge]
    private let payments: [String: Gauge]
    private let proofs: [String: Gauge]
    private let leads: Gauge
    private let live: Gauge

    package init(store: Store, cluster: ClusterStatus, factory: any MetricsFactory) {
        func gauges(_ label: String, _ statuses: [String]) -> [String: Gauge] {
            Dictionary(
                uniqueKeysWithValues: statuses.map {
                    ($0, Gauge(label: label, dimensions: [("status", $0)], factory: factory))
                })
        }
        self.store = store
        self.cluster = cluster
        let instance = [("instance", cluster.owner.name)]
        leads = Gauge(label: "t4gd_instance_leads_settlements", dimensions: instance, factory: factory)
        live = Gauge(label: "t4gd_instances_live", dimensions: instance, factory: factory)
        invoices = gauges("t4gd_invoices", ["open", "paid", "expired", "canceled"])
        payments = gauges("t4gd_payments", ["pending", "succeeded", "failed"])
        proofs = gauges("t4gd_proofs", ["active", "transfer_pending"])
    }

    /// Sets every gauge from the store; a failed read leaves them as they were (the store metrics count it).
    func refresh() async {
        leads.record(cluster.leadsSettlements ? 1 : 0)
        live.record(cluster.liveInstances)
        guard let counts = try? await store.statusCounts() else { return }
        for (gauges, values) in [(invoices, counts.invoices), (payments, counts.payments), (proofs, counts.proofs)] {
            for (status, gauge) in gauges {
                gauge.record(values[status] ?? 0)
            }
        }
    }
}
