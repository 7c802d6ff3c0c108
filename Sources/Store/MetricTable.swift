import Synchronization

/// Metrics of one family, made on first use of each key, so only label values that occur are exported and the
/// hot path is a dictionary lookup instead of a registry lookup.
package final class MetricTable<Key: Hashable & Sendable, Metric: Sendable>: Sendable {
    private let make: @Sendable (Key) -> Metric
    private let metrics = Mutex<[Key: Metric]>([:])

    /// Creates an empty table; `make` builds the metric of a key the first time it is used.
    package init(_ make: @escaping @Sendable (Key) -> Metric) {
        self.make = make
    }

    /// The metric of `key`.
    package subscript(_ key: Key) -> Metric {
        metrics.withLock { metrics in
            if let metric = metrics[key] { return metric }
            let metric = make(key)
            metrics[key] = metric
            return metric
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, as swift-metrics timers record it.
    package var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
