import Foundation
import JSONRPC
import RPCClient
import Synchronization

/// Calls `daemon.health` on its own connection at a fixed interval for the whole run and keeps the worst
/// latency: the daemon must stay responsive while it is under load.
///
/// The probe runs on a thread of its own with blocking socket I/O, so what it measures is the daemon's answer
/// time, not how long the load tool's own tasks (hundreds of clients on the same cores) kept it waiting.
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
        let stop = Atomic<Bool>(false)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread { continuation.resume(returning: probe(until: stop)) }.start()
            }
        } onCancel: {
            stop.store(true, ordering: .relaxed)
        }
    }

    private func probe(until stop: borrowing Atomic<Bool>) -> Result {
        var result = Result()
        guard let connection = try? BlockingConnection(socket, timeoutSeconds: 5) else {
            result.failures = 1
            return result
        }
        var id: Int64 = 0
        while !stop.load(ordering: .relaxed) {
            id += 1
            let request = JSONValue.object(["jsonrpc": "2.0", "id": .integer(id), "method": "daemon.health"])
            let start = ContinuousClock.now
            connection.send(request.serialized() + [UInt8(ascii: "\n")])
            let reply = connection.readLine()
            let milliseconds = (ContinuousClock.now - start) / .milliseconds(1)
            if let reply, let parsed = try? JSONValue.parse(reply), let response = RPCResponse(json: parsed),
                response.id == .integer(id), case .success = response.outcome
            {
                result.probes += 1
                result.maxMilliseconds = max(result.maxMilliseconds, milliseconds)
                if milliseconds > 100 { result.over100ms += 1 }
            } else if !stop.load(ordering: .relaxed) {
                result.failures += 1
                return result
            }
            Thread.sleep(forTimeInterval: Double(interval / .milliseconds(1)) / 1000)
        }
        return result
    }
}
