import CoreMetrics
import JSONRPC
import Operations
import RPCServer

/// Wraps the daemon's method dispatch with ``RPCMetrics``: every request's method, outcome and latency.
package struct MeteredRPCService: RPCService {
    let base: DaemonRPCService
    let metrics: RPCMetrics

    package init(base: DaemonRPCService, factory: any MetricsFactory) {
        self.base = base
        metrics = RPCMetrics(methodNames: base.methodNames, factory: factory)
    }

    package func handle(_ request: RPCRequest, context: RPCRequestContext) async throws(RPCError) -> JSONValue {
        let start = ContinuousClock.now
        do {
            let result = try await base.handle(request, context: context)
            metrics.record(method: request.method, duration: ContinuousClock.now - start, failure: nil)
            return result
        } catch {
            metrics.record(method: request.method, duration: ContinuousClock.now - start, failure: error.reason)
            throw error
        }
    }

    package func answersImmediately(_ request: RPCRequest) -> Bool { base.answersImmediately(request) }

    package func admission(of peer: PeerCredentials) -> PeerAdmission { base.admission(of: peer) }

    package func handleImmediately(_ request: RPCRequest, context: RPCRequestContext) -> Result<JSONValue, RPCError>? {
        let start = ContinuousClock.now
        guard let outcome = base.handleImmediately(request, context: context) else { return nil }
        let failure: RPCErrorReason?
        switch outcome {
        case .success: failure = nil
        case .failure(let error): failure = error.reason
        }
        metrics.record(method: request.method, duration: ContinuousClock.now - start, failure: failure)
        return outcome
    }
}
