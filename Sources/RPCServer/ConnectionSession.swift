import JSONRPC
import Logging
import NIOCore
import RPCWire

/// The off-loop side of one connection: runs admitted requests through the service and renders
/// their reply lines.
///
/// The connection handler starts one task per ``ConnectionWork`` and calls ``perform(_:connection:)``
/// in it; a batch's calls run concurrently in child tasks of that task.
struct ConnectionSession: Sendable {
    let id: String
    let peer: PeerCredentials
    let service: any RPCService
    let logger: Logger
    /// The daemon-wide bound on requests running in tasks, shared by every connection.
    let budget: InFlightBudget

    /// Runs `work`; returns its reply line and how many admitted requests it finished.
    func perform(_ work: ConnectionWork, connection: RPCConnection) async -> ConnectionReply {
        switch work {
        case .single(let call):
            let response = await execute(call, connection: connection)
            return ConnectionReply(line: response.map { ByteBuffer(responseLine: $0) }, finished: 1)
        case .batch(let slots):
            let responses = await execute(batch: slots, connection: connection)
            let line = responses.isEmpty ? nil : ByteBuffer(responseLine: responses)
            let finished = slots.count { if case .call = $0 { true } else { false } }
            return ConnectionReply(line: line, finished: finished)
        }
    }

    /// Runs a batch's calls concurrently; returns the responses in the batch's order.
    private func execute(batch slots: [ConnectionWork.BatchSlot], connection: RPCConnection) async -> [RPCResponse] {
        await withTaskGroup(of: (Int, RPCResponse?).self) { group in
            var responses = [RPCResponse?](repeating: nil, count: slots.count)
            for (index, slot) in slots.enumerated() {
                switch slot {
                case .answered(let response):
                    responses[index] = response
                case .call(let call):
                    group.addTask {
                        (index, await execute(call, connection: connection))
                    }
                }
            }
            for await (index, response) in group {
                responses[index] = response
            }
            return responses.compactMap { $0 }
        }
    }

    /// Runs `call` at once if the service can (see ``RPCService/handleImmediately(_:context:)``); `nil` when
    /// it needs a task.
    func performImmediately(_ call: RPCCall, connection: RPCConnection) -> ConnectionReply? {
        let context = self.context(for: call, connection: connection)
        guard let outcome = service.handleImmediately(call.request, context: context) else { return nil }
        let response = finish(call, outcome: outcome, context: context)
        return ConnectionReply(line: response.map { ByteBuffer(responseLine: $0) }, finished: 1)
    }

    /// Runs one call; returns its response, or `nil` for a notification.
    private func execute(_ call: RPCCall, connection: RPCConnection) async -> RPCResponse? {
        let context = self.context(for: call, connection: connection)
        let outcome: Result<JSONValue, RPCError>
        do {
            outcome = .success(try await service.handle(call.request, context: context))
        } catch {
            outcome = .failure(error)
        }
        return finish(call, outcome: outcome, context: context)
    }

    private func context(for call: RPCCall, connection: RPCConnection) -> RPCRequestContext {
        RPCRequestContext(peer: peer, requestID: call.requestID, connectionLogger: logger, connection: connection)
    }

    /// Logs a finished call and returns its response (`nil` for a notification), errors stamped with the
    /// request id. A call answered with an error is logged at `info` (the default level), so the `request_id`
    /// a user quotes from an error reply is in the log; a successful one at `debug`.
    private func finish(
        _ call: RPCCall, outcome: Result<JSONValue, RPCError>, context: RPCRequestContext
    ) -> RPCResponse? {
        let outcome = outcome.mapError { $0.stamped(requestID: call.requestID) }
        let level: Logger.Level = outcome.errorReason == nil ? .debug : .info
        if logger.logLevel <= level {
            context.logger.log(
                level: level, "rpc request",
                metadata: [
                    "rpc_method": "\(call.request.method)",
                    "duration_ms": "\(Self.milliseconds(since: call.received))",
                    "outcome": "\(outcome.errorReason?.name ?? "ok")",
                ]
            )
        }
        guard let id = call.request.id else { return nil }
        return RPCResponse(id: id, outcome: outcome)
    }

    /// The time since `instant` in milliseconds, to the microsecond.
    private static func milliseconds(since instant: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = (ContinuousClock.now - instant).components
        return (Double(seconds) * 1_000_000 + Double(attoseconds / 1_000_000_000_000)).rounded() / 1000
    }
}

extension Result<JSONValue, RPCError> {
    fileprivate var errorReason: RPCErrorReason? {
        if case .failure(let error) = self { return error.reason }
        return nil
    }
}
