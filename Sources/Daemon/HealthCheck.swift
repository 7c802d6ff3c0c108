import JSONRPC
import Lightning
import Store

/// Measures the store, the backend and start-up reconciliation, for `daemon.health` and `/health/ready`.
struct HealthCheck: Sendable {
    let store: Store
    let backend: any LightningBackend
    let gate: PaymentGate
    static let backendDeadline: Duration = .seconds(2)

    /// One measurement of every component.
    struct Report: Sendable {
        let store: Component
        let backend: Component
        let reconciliation: Component

        /// `down` without the store, `degraded` without the backend or before reconciliation, else `ok`.
        var status: String {
            guard store.ok else { return "down" }
            return backend.ok && reconciliation.ok ? "ok" : "degraded"
        }

        /// Ready for traffic: every component is ok.
        var ready: Bool { status == "ok" }

        /// The `daemon.health` result.
        var json: JSONValue { ["status": .string(status), "ready": .bool(ready), "components": components] }

        /// Each component's status, latency and error.
        var components: JSONValue {
            ["store": store.json, "backend": backend.json, "reconciliation": reconciliation.json]
        }
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

    func report() async -> Report {
        let storeStatus = await measure { _ = try await store.lastEventIndex() }
        let backendStatus = await measureAsync { [backend] in _ = try await backend.nodeInfo() }
        let reconciled = await gate.paymentsAccepted
        return Report(
            store: storeStatus, backend: backendStatus,
            reconciliation: Component(
                ok: reconciled, latency: .zero,
                error: reconciled ? nil : "payments left pending by the previous run are not reconciled yet"))
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
