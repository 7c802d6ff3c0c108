import JSONRPC
import Lightning
import Store

/// One measurement of the store and the backend: whether each answered, how fast, and when.
struct HealthCheck: Sendable {
    let store: Store
    let backend: any LightningBackend
    static let backendDeadline: Duration = .seconds(2)

    /// The outcome of one measurement.
    struct Measurement: Sendable {
        let store: Component
        let backend: Component
        let finishedAt: ContinuousClock.Instant
    }

    struct Component: Sendable {
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

    /// Reads from the store and asks the backend for its node info (at most ``backendDeadline``).
    func measure() async -> Measurement {
        let storeStatus = await measure { _ = try await store.lastEventIndex() }
        let backendStatus = await measureAsync { [backend] in _ = try await backend.nodeInfo() }
        return Measurement(store: storeStatus, backend: backendStatus, finishedAt: .now)
    }

    private func measure(_ body: () async throws -> Void) async -> Component {
        let start = ContinuousClock.now
        do {
            try await body()
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
