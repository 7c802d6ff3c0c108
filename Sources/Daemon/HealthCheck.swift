import JSONRPC
import Lightning
import Store

/// Measures the store and the backend for `daemon.health`.
struct HealthCheck: Sendable {
    let store: Store
    let backend: any LightningBackend
    static let backendDeadline: Duration = .seconds(2)

    func report() async -> JSONValue {
        let storeStatus = measure { _ = try store.lastEventIndex() }
        let backendStatus = await measureAsync { [backend] in _ = try await backend.nodeInfo() }
        let overall =
            storeStatus.ok ? (backendStatus.ok ? "ok" : "degraded") : "down"
        return [
            "status": .string(overall),
            "components": ["store": storeStatus.json, "backend": backendStatus.json],
        ]
    }

    struct Component {
        let ok: Bool
        let latency: Duration
        let error: String?

        var json: JSONValue {
            [
                "status": .string(ok ? "ok" : "down"),
                "latency_ms": .number(
                    Double(latency.components.attoseconds) / 1e15 + Double(latency.components.seconds) * 1000),
                "error": error.map(JSONValue.string) ?? .null,
            ]
        }
    }

    private func measure(_ body: () throws -> Void) -> Component {
        let start = ContinuousClock.now
        do {
            try body()
            return Component(ok: true, latency: ContinuousClock.now - start, error: nil)
        } catch {
            return Component(ok: false, latency: ContinuousClock.now - start, error: "\(error)")
        }
    }

    private func measureAsync(_ body: @escaping @Sendable () async throws -> Void) async -> Component {
        let start = ContinuousClock.now
        let attempt = Task { () -> String? in
            do {
                try await body()
                return nil
            } catch {
                return "\(error)"
            }
        }
        let outcome = await firstOf(attempt, timeout: Self.backendDeadline)
        let latency = ContinuousClock.now - start
        switch outcome {
        case .some(nil): return Component(ok: true, latency: latency, error: nil)
        case .some(let error?): return Component(ok: false, latency: latency, error: error)
        case nil: return Component(ok: false, latency: latency, error: "no answer within 2 s")
        }
    }
}
