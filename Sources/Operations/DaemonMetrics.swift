import CoreMetrics
import Prometheus

/// The one place the daemon's metrics are set up: a Prometheus registry and the swift-metrics factory that
/// writes into it. Components get the factory injected; `/metrics` renders the registry.
package struct DaemonMetrics: Sendable {
    /// The registry `/metrics` renders.
    package let registry: PrometheusCollectorRegistry
    /// The factory every component records through.
    package let factory: any MetricsFactory

    /// A fresh registry; latency histograms get ``latencyBuckets``.
    package init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets
        self.registry = registry
        self.factory = factory
    }

    /// From 100 µs (a cached read) to 60 s (a slow payment).
    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
        .seconds(60),
    ]
}
