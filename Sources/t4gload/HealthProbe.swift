import RPCServer

/// Calls `daemon.health` on its own connection at a fixed interval for the whole run and keeps the worst
/// latency: the daemon must stay responsive while it is under load.
struct HealthProbe: Sendable {
    struct Result: Sendable {
        var probes = 0
        var maxMilliseconds = 0.0
        var over100ms = 0
        var failures = 0
    }

    let socket: String
    let interval: Duration

    /// Probes until the task is cancelled.
    func run() async -> Result {
        var result = Result()
        guard let client = try? await RPCClient.connect(unixDomainSocketPath: socket) else {
            result.failures = 1
            return result
        }
        while !Task.isCancelled {
            let start = ContinuousClock.now
            do {
                _ = try await client.call("daemon.health", timeout: .seconds(5))
                let milliseconds = (ContinuousClock.now - start) / .milliseconds(1)
                result.probes += 1
                result.maxMilliseconds = max(result.maxMilliseconds, milliseconds)
                if milliseconds > 100 { result.over100ms += 1 }
            } catch {
                if Task.isCancelled { break }
                result.failures += 1
            }
            try? await Task.sleep(for: interval)
        }
        await client.close()
        return result
    }
}
