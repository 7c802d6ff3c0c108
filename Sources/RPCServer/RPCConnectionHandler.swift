import JSONRPC
import Logging
import NIOCore

/// The event-loop side of one connection: framing, parsing, limits, idle and shutdown timers.
///
/// Admitted requests go on to the connection's session as ``ConnectionWork``; everything the
/// handler can answer alone (invalid JSON, invalid requests, limits) it answers itself. Replies
/// come back as ``ConnectionOutbound`` and leave as whole lines, so lines never interleave.
final class RPCConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ConnectionWork
    typealias OutboundIn = ConnectionOutbound
    typealias OutboundOut = ByteBuffer

    private let configuration: RPCServer.Configuration
    private let logger: Logger
    private var framer: LineFramer
    private var state: ConnectionStateMachine
    private var idleTimer: Scheduled<Void>?
    private var closeTimer: Scheduled<Void>?
    private var isPausedForWritability = false
    private var hasPendingRead = false

    init(configuration: RPCServer.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.framer = LineFramer(maxLineBytes: configuration.maxLineBytes)
        self.state = ConnectionStateMachine(maxInFlight: configuration.maxInFlightPerConnection)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            perform(.armIdleTimer, context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(.armIdleTimer, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.channelClosed()
        cancelTimers()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state.phase != .closed else { return }
        framer.append(unwrapInboundIn(data))
        perform(state.bytesReceived(), context: context)
        processFrames(context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable && isPausedForWritability {
            isPausedForWritability = false
            processFrames(context: context)
            if hasPendingRead {
                hasPendingRead = false
                context.read()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent {
            perform(state.inputEnded(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func read(context: ChannelHandlerContext) {
        guard state.phase != .closed else { return }
        if isPausedForWritability {
            hasPendingRead = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .completion(let line, let finished):
            if let line {
                context.writeAndFlush(wrapOutboundOut(line), promise: promise)
            } else {
                promise?.succeed()
            }
            perform(state.requestsCompleted(finished), context: context)
        case .push(let line):
            context.writeAndFlush(wrapOutboundOut(line), promise: promise)
        }
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? ConnectionEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch event {
        case .beginStreaming:
            perform(state.streamingBegan(), context: context)
        case .beginShutdown:
            perform(state.shutdownBegan(), context: context)
        case .refuse(let notice):
            perform(state.terminate(notice), context: context)
        }
        promise?.succeed()
    }

    // MARK: - Requests

    private func processFrames(context: ChannelHandlerContext) {
        var didDispatch = false
        while state.phase != .closed {
            guard context.channel.isWritable else {
                isPausedForWritability = true
                break
            }
            guard let frame = framer.next() else { break }
            switch frame {
            case .oversized:
                logger.debug("rpc line too long", metadata: ["max_bytes": "\(configuration.maxLineBytes)"])
                perform(state.terminate(.requestTooLarge), context: context)
            case .line(let line):
                didDispatch = handle(line: line, context: context) || didDispatch
            }
        }
        context.flush()
        if didDispatch {
            context.fireChannelReadComplete()
        }
    }

    /// Parses one line and dispatches or answers it; returns whether work went to the session.
    private func handle(line: ByteBuffer, context: ChannelHandlerContext) -> Bool {
        let bytes = line.readableBytesView
        guard bytes.contains(where: { !Self.isWhitespace($0) }) else { return false }
        switch RPCMessage.parse(line: bytes, limits: configuration.jsonLimits) {
        case .single(.request(let request)):
            if let call = admit(request, context: context) {
                context.fireChannelRead(wrapInboundOut(.single(call)))
                return true
            }
            if let answer = refusal(for: request) {
                write(answer.json, context: context)
            }
        case .single(.invalid(let id, let error)):
            write(rejection(id: id, method: nil, error: error).json, context: context)
        case .single(.invalidNotification(let method, let error)):
            logRejected(method: method, requestID: RequestID.make(), reason: error.reason)
        case .batch(let entries) where entries.count > configuration.maxBatch:
            let error = RPCError(.batchTooLarge, data: ["max_batch": .integer(Int64(configuration.maxBatch))])
            write(rejection(id: nil, method: nil, error: error).json, context: context)
        case .batch(let entries):
            return handle(batch: entries, context: context)
        }
        return false
    }

    private func handle(batch entries: [RPCEntry], context: ChannelHandlerContext) -> Bool {
        var slots: [ConnectionWork.BatchSlot] = []
        var didAdmit = false
        for entry in entries {
            switch entry {
            case .request(let request):
                if let call = admit(request, context: context) {
                    slots.append(.call(call))
                    didAdmit = true
                } else if let answer = refusal(for: request) {
                    slots.append(.answered(answer))
                }
            case .invalid(let id, let error):
                slots.append(.answered(rejection(id: id, method: nil, error: error)))
            case .invalidNotification(let method, let error):
                logRejected(method: method, requestID: RequestID.make(), reason: error.reason)
            }
        }
        if didAdmit {
            context.fireChannelRead(wrapInboundOut(.batch(slots)))
            return true
        }
        let answers = slots.compactMap { slot -> JSONValue? in
            guard case .answered(let response) = slot else { return nil }
            return response.json
        }
        if !answers.isEmpty {
            write(.array(answers), context: context)
        }
        return false
    }

    /// Counts `request` as in flight and returns it ready to run, or `nil` if the state machine refuses it.
    private func admit(_ request: RPCRequest, context: ChannelHandlerContext) -> RPCCall? {
        guard state.admitRequest() == .dispatch else { return nil }
        perform(.cancelIdleTimer, context: context)
        return RPCCall(request: request, requestID: RequestID.make(), received: .now)
    }

    /// The answer to a request that was not admitted (`overloaded` or `shutting_down`); `nil` for a
    /// notification or when the connection is closing.
    private func refusal(for request: RPCRequest) -> RPCResponse? {
        let error: RPCError
        switch state.phase {
        case .closed:
            return nil
        case .draining:
            error = RPCError(.shuttingDown)
        case .open, .inputClosed:
            error = RPCError(.overloaded, retryAfter: configuration.overloadedRetryAfter)
        }
        let response = rejection(id: request.id, method: request.method, error: error)
        return request.id == nil ? nil : response
    }

    /// An error answer for something the handler does not run, logged under a fresh request id.
    private func rejection(id: RPCID?, method: String?, error: RPCError) -> RPCResponse {
        let requestID = RequestID.make()
        logRejected(method: method, requestID: requestID, reason: error.reason)
        return RPCResponse(id: id, error: error.stamped(requestID: requestID))
    }

    private func write(_ value: JSONValue, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(ByteBuffer(jsonLine: value)), promise: nil)
    }

    // MARK: - Lifecycle

    private func perform(_ action: ConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .armIdleTimer:
            idleTimer?.cancel()
            idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(configuration.idleTimeout)) {
                self.perform(self.state.idleTimerFired(), context: context)
            }
        case .cancelIdleTimer:
            idleTimer?.cancel()
            idleTimer = nil
        case .scheduleForceClose:
            idleTimer?.cancel()
            idleTimer = nil
            closeTimer = context.eventLoop.assumeIsolated().scheduleTask(
                in: TimeAmount(configuration.shutdownGracePeriod)
            ) {
                self.perform(self.state.terminate(.shuttingDown), context: context)
            }
        case .close(let notice):
            close(with: notice, context: context)
        }
    }

    /// Writes the notice (or nothing), closes once everything written so far is flushed, and
    /// closes regardless after the grace period if the client never reads.
    private func close(with notice: ConnectionStateMachine.CloseNotice?, context: ChannelHandlerContext) {
        cancelTimers()
        let line = notice.map { ByteBuffer(jsonLine: RPCResponse(id: nil, error: error(for: $0)).json) } ?? ByteBuffer()
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(line)).whenComplete { _ in
            channel.close(promise: nil)
        }
        closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(configuration.shutdownGracePeriod))
        {
            context.close(promise: nil)
        }
    }

    private func error(for notice: ConnectionStateMachine.CloseNotice) -> RPCError {
        let requestID = RequestID.make()
        let error: RPCError
        switch notice {
        case .idleTimeout:
            let seconds = configuration.idleTimeout.components.seconds
            error = RPCError(.idleTimeout, data: ["idle_timeout_s": .integer(seconds)])
        case .shuttingDown:
            error = RPCError(.shuttingDown)
        case .requestTooLarge:
            error = RPCError(.requestTooLarge, data: ["max_bytes": .integer(Int64(configuration.maxLineBytes))])
        case .tooManyConnections:
            error = RPCError(
                .tooManyConnections, data: ["max_connections": .integer(Int64(configuration.maxConnections))])
        }
        logger.debug("rpc connection closing", metadata: ["request_id": "\(requestID)", "reason": "\(error.reason)"])
        return error.stamped(requestID: requestID)
    }

    private func cancelTimers() {
        idleTimer?.cancel()
        idleTimer = nil
        closeTimer?.cancel()
        closeTimer = nil
    }

    private func logRejected(method: String?, requestID: String, reason: RPCErrorReason) {
        var metadata: Logger.Metadata = ["request_id": "\(requestID)", "outcome": "\(reason.name)"]
        if let method {
            metadata["rpc_method"] = "\(method)"
        }
        logger.debug("rpc request rejected", metadata: metadata)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
