import CoreMetrics
import JSONRPC
import Store

/// Request counters (by method and outcome) and latency histograms (by method) of the RPC surface, made once
/// per known method so a request costs a dictionary lookup, an atomic add and a histogram update. Unknown
/// method names share the label `other`, so callers cannot grow the label set.
package final class RPCMetrics: Sendable {
    /// The metrics of one method (or one proof operation).
    final class Family: Sendable {
        private let succeeded: Counter
        private let failed: MetricTable<String, Counter>
        private let latency: Timer

        init(counter: String, histogram: String, label: String, value: String, factory: any MetricsFactory) {
            succeeded = Counter(label: counter, dimensions: [(label, value), ("outcome", "ok")], factory: factory)
            failed = MetricTable { reason in
                Counter(label: counter, dimensions: [(label, value), ("outcome", reason)], factory: factory)
            }
            latency = Timer(label: histogram, dimensions: [(label, value)], factory: factory)
        }

        /// Records one call that took `duration` and failed with `reason`, or succeeded when it is `nil`.
        func record(_ duration: Duration, failure reason: RPCErrorReason?) {
            if let reason { failed[reason.name].increment() } else { succeeded.increment() }
            latency.recordNanoseconds(duration.nanoseconds)
        }
    }

    private let methods: [String: [Family]]
    private let other: [Family]

    /// Metrics for `methodNames`; `proof.*` methods also count as proof operations.
    package init(methodNames: [String], factory: any MetricsFactory) {
        func families(_ method: String) -> [Family] {
            let request = Family(
                counter: "t4gd_rpc_requests_total", histogram: "t4gd_rpc_request_duration_seconds", label: "method",
                value: method, factory: factory)
            guard method.hasPrefix("proof.") else { return [request] }
            let operation = String(method.dropFirst("proof.".count))
            return [
                request,
                Family(
                    counter: "t4gd_proof_operations_total", histogram: "t4gd_proof_operation_duration_seconds",
                    label: "operation", value: operation, factory: factory),
            ]
        }
        methods = Dictionary(uniqueKeysWithValues: methodNames.map { ($0, families($0)) })
        other = families("other")
    }

    /// Records one request to `method`.
    package func record(method: String, duration: Duration, failure: RPCErrorReason?) {
        for family in methods[method] ?? other {
            family.record(duration, failure: failure)
        }
    }
}
