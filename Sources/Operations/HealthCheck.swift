import JSONRPC
import Lightning
import Store
import Wallet

/// One measurement of the store and the backend: whether each answered, how fast, and when.
package struct HealthCheck: Sendable {
    let store: Store
    let backend: any LightningBackend
    /// Unix time in seconds: the value a write probe stores.
    let now: @Sendable () -> Int64

    /// Creates a check of `store` and `backend`.
    package init(store: Store, backend: any LightningBackend, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.backend = backend
        self.now = now
    }
    static let backendDeadline: Duration = .seconds(2)

    /// The outcome of one measurement.
    struct Measurement: Sendable {
        let store: Component
        let backend: Component
        let finishedAt: ContinuousClock.Instant
    }

    struct Component: Sendable {
        /// A component's state: `degraded` answers but cannot do everything (a store whose writes fail).
        enum Status: String, Sendable {
            case ok, degraded, down
        }

        let status: Status
        let latency: Duration
        let error: String?

        var ok: Bool { status == .ok }

        init(ok: Bool, latency: Duration, error: String?) {
            self.init(status: ok ? .ok : .down, latency: latency, error: error)
        }

        init(status: Status, latency: Duration, error: String?) {
            self.status = status
            self.latency = latency
            self.error = error
        }

        var json: JSONValue {
            [
                "status": .string(status.rawValue),
                "latency_ms": .number(
                    Double(latency.components.attoseconds) / 1e15 + Double(latency.components.seconds) * 1000),
                "error": error.map(JSONValue.string) ?? .null,
            ]
        }
    }

    /// Reads from the store and asks the backend for its node info (at most ``backendDeadline``). A store whose
    /// last write failed gets a probe write: still failing, it is `degraded` (it reads but cannot take a
    /// payment intent); writable again, it is `ok`.
    func measure() async -> Measurement {
        let storeStatus = await measure { _ = try await store.lastEventIndex() }
        let backendStatus = await measureAsync { [backend] in _ = try await backend.nodeInfo() }
        return Measurement(store: await withWriteProbe(storeStatus), backend: backendStatus, finishedAt: .now)
    }

    private func withWriteProbe(_ read: Component) async -> Component {
        guard read.ok, store.writeFailure != nil else { return read }
        try? await store.probeWrite(now())
        guard let failure = store.writeFailure else { return read }
        return Component(status: .degraded, latency: read.latency, error: "writes fail: \(failure)")
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
