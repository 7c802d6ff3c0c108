import JSONRPC
import Logging
import NIOCore

/// The async side of one connection: runs admitted requests concurrently and writes their replies.
///
/// Each ``ConnectionWork`` item runs in its own child task; replies are written as they finish.
/// When the channel closes, the remaining handler tasks are cancelled and their replies dropped.
struct ConnectionSession: Sendable {
    let id: String
    let peer: PeerCredentials
    let service: any RPCService
    let logger: Logger

    /// The pipeline of a new connection: framing and limits, then the async bridge.
    ///
    /// Must run on the channel's event loop.
    static func configure(
        _ channel: any Channel,
        configuration: RPCServer.Configuration,
        logger: Logger
    ) throws -> NIOAsyncChannel<ConnectionWork, ConnectionOutbound> {
        try channel.pipeline.syncOperations.addHandler(
            RPCConnectionHandler(configuration: configuration, logger: logger))
        return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
    }

    /// Serves the connection until it closes.
    func run(_ channel: NIOAsyncChannel<ConnectionWork, ConnectionOutbound>) async {
        logger.debug("rpc connection opened")
        do {
            try await channel.executeThenClose { inbound, outbound in
                let connection = RPCConnection(id: id, channel: channel.channel, outbound: outbound)
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask {
                        try await Self.waitForClose(of: channel.channel)
                    }
                    for try await work in inbound {
                        group.addTask {
                            await perform(work, connection: connection, outbound: outbound)
                        }
                    }
                }
            }
        } catch is ConnectionClosed {
            // The normal end: the channel closed and the remaining handler tasks were cancelled.
        } catch {
            logger.debug("rpc connection failed", metadata: ["error": "\(error)"])
        }
        logger.debug("rpc connection closed")
    }

    /// Refuses the connection with `notice` and waits until it is closed.
    static func refuse(
        _ channel: NIOAsyncChannel<ConnectionWork, ConnectionOutbound>,
        notice: ConnectionStateMachine.CloseNotice
    ) async {
        try? await channel.executeThenClose { inbound, _ in
            channel.channel.triggerUserOutboundEvent(ConnectionEvent.refuse(notice), promise: nil)
            for try await _ in inbound {}
            try await channel.channel.closeFuture.get()
        }
    }

    /// Returns by throwing ``ConnectionClosed`` once the channel is closed, which cancels the
    /// connection's task group; closes the channel if the waiting task is cancelled.
    private static func waitForClose(of channel: any Channel) async throws {
        try? await withTaskCancellationHandler {
            try await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
        throw ConnectionClosed()
    }

    private func perform(
        _ work: ConnectionWork,
        connection: RPCConnection,
        outbound: NIOAsyncChannelOutboundWriter<ConnectionOutbound>
    ) async {
        let completion: ConnectionOutbound
        switch work {
        case .single(let call):
            let response = await execute(call, connection: connection)
            completion = .completion(line: response.map { ByteBuffer(jsonLine: $0.json) }, finished: 1)
        case .batch(let slots):
            let responses = await execute(batch: slots, connection: connection)
            let line = responses.isEmpty ? nil : ByteBuffer(jsonLine: .array(responses.map(\.json)))
            let finished = slots.count { if case .call = $0 { true } else { false } }
            completion = .completion(line: line, finished: finished)
        }
        // A write fails only when the client is gone; its reply is dropped quietly.
        try? await outbound.write(completion)
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

    /// Runs one call; returns its response, or `nil` for a notification.
    private func execute(_ call: RPCCall, connection: RPCConnection) async -> RPCResponse? {
        var logger = self.logger
        logger[metadataKey: "request_id"] = "\(call.requestID)"
        let context = RPCRequestContext(peer: peer, requestID: call.requestID, logger: logger, connection: connection)
        let outcome: Result<JSONValue, RPCError>
        do {
            outcome = .success(try await service.handle(call.request, context: context))
        } catch {
            outcome = .failure(error.stamped(requestID: call.requestID))
        }
        let (seconds, attoseconds) = (ContinuousClock.now - call.received).components
        let milliseconds = (Double(seconds) * 1_000_000 + Double(attoseconds / 1_000_000_000_000)).rounded() / 1000
        logger.debug(
            "rpc request",
            metadata: [
                "rpc_method": "\(call.request.method)",
                "duration_ms": "\(milliseconds)",
                "outcome": "\(outcome.errorReason?.name ?? "ok")",
            ]
        )
        guard let id = call.request.id else { return nil }
        return RPCResponse(id: id, outcome: outcome)
    }
}

/// Thrown inside a connection's task group when the channel closed, to cancel what is left.
struct ConnectionClosed: Error {}

extension Result<JSONValue, RPCError> {
    fileprivate var errorReason: RPCErrorReason? {
        if case .failure(let error) = self { return error.reason }
        return nil
    }
}
