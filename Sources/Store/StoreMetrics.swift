import CoreMetrics

/// Latency and failures of every store operation, labelled by the operation's name (`read_invoice`).
struct StoreMetrics: Sendable {
    private let latency: MetricTable<String, Timer>
    private let failures: MetricTable<String, Counter>

    init(factory: any MetricsFactory) {
        latency = MetricTable { operation in
            Timer(
                label: "t4gd_store_operation_duration_seconds", dimensions: [("operation", Self.label(operation))],
                factory: factory)
        }
        failures = MetricTable { operation in
            Counter(
                label: "t4gd_store_errors_total", dimensions: [("operation", Self.label(operation))], factory: factory)
        }
    }

    /// Records one operation that started at `start`.
    func record(_ operation: String, since start: ContinuousClock.Instant, failed: Bool) {
        latency[operation].recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        if failed { failures[operation].increment() }
    }

    private static func label(_ operation: String) -> String {
        operation.replacingOccurrences(of: " ", with: "_")
    }
}
