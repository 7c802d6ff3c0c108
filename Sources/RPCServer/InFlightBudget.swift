import CoreMetrics
import Synchronization

/// The daemon-wide bound on requests running in tasks, across every connection: past it a request gets
/// `overloaded` with `retry_after_s` at once, instead of queueing behind the others and holding memory.
///
/// Requests answered at once on the event loop (``RPCService/answersImmediately(_:)``) never hold a unit. A unit
/// comes back when its request's task ends, which a closed connection hastens by cancelling the task.
final class InFlightBudget: Sendable {
    let limit: Int
    private let used = Atomic<Int>(0)
    /// The units taken, as the `t4gd_rpc_requests_in_flight` gauge.
    private let gauge: Meter

    init(limit: Int, metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.limit = limit
        gauge = Meter(label: "t4gd_rpc_requests_in_flight", factory: metricsFactory)
    }

    /// Takes one unit; `false` when all are taken.
    func acquire() -> Bool {
        var current = used.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = used.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged {
                gauge.increment()
                return true
            }
            current = original
        }
        return false
    }

    /// Gives back `count` units.
    func release(_ count: Int) {
        used.subtract(count, ordering: .acquiringAndReleasing)
        gauge.decrement(by: Double(count))
    }

    /// The units taken now.
    var inUse: Int { used.load(ordering: .relaxed) }
}
