import CoreMetrics
import Store

/// `t4gd_invoices`, `t4gd_payments` and `t4gd_proofs` by status, read from the store when `/metrics` is scraped.
struct StatusGauges: Sendable {
    private let store: Store
    private let invoices: [String: Gauge]
    private let payments: [String: Gauge]
    private let proofs: [String: Gauge]

    init(store: Store, factory: any MetricsFactory) {
        func gauges(_ label: String, _ statuses: [String]) -> [String: Gauge] {
            Dictionary(
                uniqueKeysWithValues: statuses.map {
                    ($0, Gauge(label: label, dimensions: [("status", $0)], factory: factory))
                })
        }
        self.store = store
        invoices = gauges("t4gd_invoices", ["open", "paid", "expired", "canceled"])
        payments = gauges("t4gd_payments", ["pending", "succeeded", "failed"])
        proofs = gauges("t4gd_proofs", ["active", "transfer_pending"])
    }

    /// Sets every gauge from the store; a failed read leaves them as they were (the store metrics count it).
    func refresh() async {
        guard let counts = try? await store.statusCounts() else { return }
        for (gauges, values) in [(invoices, counts.invoices), (payments, counts.payments), (proofs, counts.proofs)] {
            for (status, gauge) in gauges {
                gauge.record(values[status] ?? 0)
            }
        }
    }
}
