import Foundation
import JSONRPC
import RPCWire

/// What one simulated client measured; merged into a ``LoadReport`` at the end.
struct ClientTally: Sendable {
    /// Latency of every completed request, in microseconds.
    var latencies: [UInt32] = []
    /// Failed requests by reason (`overloaded`, `transport: connection closed`, ...).
    var errors: [String: Int] = [:]

    mutating func record(_ start: ContinuousClock.Instant, error: (any Error)?) {
        let micros = (ContinuousClock.now - start) / .microseconds(1)
        latencies.append(UInt32(clamping: Int(micros.rounded())))
        if let error { errors[Self.reason(of: error), default: 0] += 1 }
    }

    static func reason(of error: any Error) -> String {
        switch error {
        case let error as RPCError: error.reason.name
        case let error as RPCServerError: "transport: \(error.code)"
        case let error as LoadError: "load tool: \(error.description)"
        default: "other: \(type(of: error))"
        }
    }
}

/// The outcome of a run: throughput, latency percentiles, errors by reason, health probe and memory.
struct LoadReport: Codable, Sendable {
    var clients: Int
    var durationSeconds: Double
    var requests: Int
    var requestsPerSecond: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    var maxMilliseconds: Double
    var errors: [String: Int]
    var healthProbes: Int
    var healthMaxMilliseconds: Double
    var healthProbesOver100ms: Int
    var healthProbeFailures: Int
    var peakRSSMegabytes: Double?
    /// The daemon's CPU time (user + system) per completed request, in microseconds.
    var daemonCPUMicrosecondsPerRequest: Double?

    init(
        clients: Int, elapsed: Duration, tallies: [ClientTally], health: HealthProbe.Result,
        process: ProcessSampler.Result?
    ) {
        var latencies = tallies.flatMap(\.latencies)
        latencies.sort()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func percentile(_ fraction: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            let index = min(latencies.count - 1, Int((Double(latencies.count) * fraction).rounded(.down)))
            return Double(latencies[index]) / 1000
        }
        self.clients = clients
        self.durationSeconds = seconds
        self.requests = latencies.count
        self.requestsPerSecond = seconds > 0 ? Double(latencies.count) / seconds : 0
        self.p50Milliseconds = percentile(0.5)
        self.p99Milliseconds = percentile(0.99)
        self.maxMilliseconds = Double(latencies.last ?? 0) / 1000
        self.errors = tallies.reduce(into: [:]) { all, tally in all.merge(tally.errors, uniquingKeysWith: +) }
        self.healthProbes = health.probes
        self.healthMaxMilliseconds = health.maxMilliseconds
        self.healthProbesOver100ms = health.over100ms
        self.healthProbeFailures = health.failures
        self.peakRSSMegabytes = process?.peakRSSKilobytes.map { Double($0) / 1024 }
        let requests = latencies.count
        self.daemonCPUMicrosecondsPerRequest = process?.cpuSeconds.flatMap {
            requests > 0 ? $0 * 1e6 / Double(requests) : nil
        }
    }

    /// The errors whose reason is not in `allowed`.
    func unexpectedErrors(allowed: Set<String>) -> [String: Int] { errors.filter { !allowed.contains($0.key) } }

    /// A readable summary, one fact per line.
    var text: String {
        var lines = [
            "clients            \(clients)",
            "duration           \(format(durationSeconds, 1)) s",
            "requests           \(requests) (\(format(requestsPerSecond, 0))/s)",
            "latency            p50 \(format(p50Milliseconds, 3)) ms, p99 \(format(p99Milliseconds, 3)) ms, max \(format(maxMilliseconds, 3)) ms",
            "daemon.health      \(healthProbes) probes, max \(format(healthMaxMilliseconds, 3)) ms, \(healthProbesOver100ms) over 100 ms, \(healthProbeFailures) failed",
        ]
        if let peakRSSMegabytes { lines.append("peak RSS           \(format(peakRSSMegabytes, 1)) MiB") }
        if let daemonCPUMicrosecondsPerRequest {
            lines.append("daemon CPU         \(format(daemonCPUMicrosecondsPerRequest, 1)) µs per request")
        }
        if errors.isEmpty {
            lines.append("errors             none")
        } else {
            lines.append("errors             \(errors.values.reduce(0, +))")
            for (reason, count) in errors.sorted(by: { $0.value > $1.value }) {
                lines.append("  \(reason): \(count)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}
