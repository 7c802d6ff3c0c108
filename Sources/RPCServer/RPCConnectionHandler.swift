import JSONRPC
import Logging
import NIOCore
import RPCWire

/// One connection: framing, parsing, limits, idle and shutdown timers, and the tasks running its requests.
///
/// Each admitted request (or batch) runs in a task of its own, which hands its reply line back to
/// the handler on the event loop; everything the handler can answer alone (invalid JSON, invalid
/// requests, limits) it answers itself. Replies leave as whole lines, so lines never interleave.
/// Nothing is read until the server accepts the connection (``ConnectionEvent/accept``). When the
/// channel closes, the tasks still running are cancelled and their replies dropped.
final class RPCConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let configuration: RPCServer.Configuration
    private let session: ConnectionSession
    private var logger: Logger { session.logger }
    /// Succeeded once the channel has closed and every request task has finished.
    private let finished: EventLoopPromise<Void>
    private var context: ChannelHandlerContext?
    private var framer: LineFramer
    private var state: ConnectionStateMachine
    private var idleTimer: Scheduled<Void>?
    /// When the connection counts as idle if nothing happens before; the idle timer checks it when it fires.
    private var idleDeadline = NIODeadline.distantFuture
    private var closeTimer: Scheduled<Void>?
    /// Runs from the first byte of a request line until its `\n`; closes the connection when it fires.
    private var requestTimer: Scheduled<Void>?
    private var isAccepted = false
    /// Whether the client closed its sending side (acted on once the connection is accepted).
    private var hasInputEnded = false
    private var isPausedForWritability = false
    private var hasPendingRead = false
    /// Whether the connection was refused at connect and reads what its client sends, to drop it, until the
    /// client closes its side (see ``close(with:context:)``).
    private var isDrainingRefusedClient = false
    private var isChannelOpen = true
    /// The tasks running admitted work, by the number they were started under.
    private var tasks: [Int: Task<Void, Never>] = [:]
    private var nextTaskNumber = 0
    /// Senders of notifications waiting for the channel to become writable.
    private var pushWaiters: [EventLoopPromise<Void>] = []

    private init(configuration: RPCServer.Configuration, session: ConnectionSession, finished: EventLoopPromise<Void>) {
        self.configuration = configuration
        self.session = session
        self.finished = finished
        self.framer = LineFramer(maxLineBytes: configuration.maxLineBytes)
        self.state = ConnectionStateMachine(maxInFlight: configuration.maxInFlightPerConnection)
    }

    /// Adds the handler for a new connection to `channel`'s pipeline.
    ///
    /// Must run on the channel's event loop.
    ///
    /// - Returns: a future that succeeds once the channel has closed and every request task has finished.
    static func install(
        on channel: any Channel,
        configuration: RPCServer.Configuration,
        session: ConnectionSession
    ) throws -> EventLoopFuture<Void> {
        let finished = channel.eventLoop.makePromise(of: Void.self)
        let handler = RPCConnectionHandler(configuration: configuration, session: session, finished: finished)
        try channel.pipeline.syncOperations.addHandler(handler)
        return finished.futureResult
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive {
            perform(.armIdleTimer, context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        channelEnded()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(.armIdleTimer, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        channelEnded()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state.phase != .closed else { return }
        framer.append(unwrapInboundIn(data))
        perform(state.bytesReceived(), context: context)
        if isAccepted {
            processFrames(context: context)
        }
        timeRequestLine(context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            let waiters = pushWaiters
            pushWaiters = []
            for waiter in waiters {
                waiter.succeed()
            }
            if isPausedForWritability {
                isPausedForWritability = false
                processFrames(context: context)
                resumeReading(context: context)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent {
            if isDrainingRefusedClient {
                context.close(promise: nil)
                return
            }
            hasInputEnded = true
            if isAccepted {
                perform(state.inputEnded(), context: context)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func read(context: ChannelHandlerContext) {
        if isDrainingRefusedClient {
            context.read()
            return
        }
        guard state.phase != .closed else { return }
        if isAccepted && !isPausedForWritability {
            context.read()
        } else {
            hasPendingRead = true
        }
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? ConnectionEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch event {
        case .accept:
            isAccepted = true
            processFrames(context: context)
            if hasInputEnded {
                perform(state.inputEnded(), context: context)
            }
            resumeReading(context: context)
        case .beginStreaming:
            perform(state.streamingBegan(), context: context)
        case .beginShutdown:
            perform(state.shutdownBegan(), context: context)
        case .refuse(let notice):
            perform(state.terminate(notice), context: context)
        }
        promise?.succeed()
    }

    /// Starts the request timer when a partial line is buffered and none runs; stops it once no partial line is
    /// left. A line that completes restarts the bound for the next one.
    private func timeRequestLine(context: ChannelHandlerContext) {
        guard state.phase != .closed, framer.hasPartialLine else {
            requestTimer?.cancel()
            requestTimer = nil
            return
        }
        guard requestTimer == nil else { return }
        let lines = framer.completedLines
        requestTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(configuration.requestTimeout)) {
            self.requestTimer = nil
            if self.framer.completedLines == lines, self.framer.hasPartialLine, !self.isPausedForWritability {
                self.perform(self.state.terminate(.requestTimeout), context: context)
            } else {
                self.timeRequestLine(context: context)
            }
        }
    }

    /// Issues the read held back while the connection was not yet accepted or not writable.
    private func resumeReading(context: ChannelHandlerContext) {
        if hasPendingRead && isAccepted && !isPausedForWritability {
            hasPendingRead = false
            context.read()
        }
    }

    // MARK: - Requests

    private func processFrames(context: ChannelHandlerContext) {
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
                handle(line: line, context: context)
            }
        }
        context.flush()
    }

    /// Parses one line and dispatches or answers it.
    private func handle(line: ByteBuffer, context: ChannelHandlerContext) {
        let bytes = line.readableBytesView
        guard bytes.contains(where: { !Self.isWhitespace($0) }) else { return }
        switch RPCMessage.parse(line: bytes, limits: configuration.jsonLimits) {
        case .single(.request(let request)):
            let immediately = session.service.answersImmediately(request)
            if let call = admit(request, immediately: immediately) {
                if immediately, let reply = session.performImmediately(call, connection: connection(context: context)) {
                    complete(reply, context: context)
                } else {
                    dispatch(.single(call), context: context)
                }
                return
            }
            if let answer = refusal(for: request) {
                write(ByteBuffer(responseLine: answer), context: context)
            }
        case .single(.invalid(let id, let error)):
            write(ByteBuffer(responseLine: rejection(id: id, method: nil, error: error)), context: context)
        case .single(.invalidNotification(let method, let error)):
            logRejected(method: method, requestID: RequestID.make(), reason: error.reason)
        case .batch(let entries) where entries.count > configuration.maxBatch:
            let error = RPCError(.batchTooLarge, data: ["max_batch": .integer(Int64(configuration.maxBatch))])
            write(ByteBuffer(responseLine: rejection(id: nil, method: nil, error: error)), context: context)
        case .batch(let entries):
            handle(batch: entries, context: context)
        }
    }

    private func handle(batch entries: [RPCEntry], context: ChannelHandlerContext) {
        var slots: [ConnectionWork.BatchSlot] = []
        var didAdmit = false
        for entry in entries {
            switch entry {
            case .request(let request):
                if let call = admit(request) {
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
            dispatch(.batch(slots), context: context)
            return
        }
        let answers = slots.compactMap { slot -> RPCResponse? in
            guard case .answered(let response) = slot else { return nil }
            return response
        }
        if !answers.isEmpty {
            write(ByteBuffer(responseLine: answers), context: context)
        }
    }

    /// Runs `work` in a task of its own, which hands its reply back through ``complete(_:with:)``.
    private func dispatch(_ work: ConnectionWork, context: ChannelHandlerContext) {
        let number = nextTaskNumber
        nextTaskNumber += 1
        let connection = connection(context: context)
        let session = self.session
        tasks[number] = Task {
            let reply = await session.perform(work, connection: connection)
            connection.handler.withHandler { $0.complete(number, with: reply) }
        }
    }

    /// The handle a request gets on this connection.
    private func connection(context: ChannelHandlerContext) -> RPCConnection {
        RPCConnection(
            id: session.id, channel: context.channel, handler: NIOLoopBound(self, eventLoop: context.eventLoop))
    }

    /// A request task finished: writes its reply line, if the connection is still open, and
    /// counts its requests as done.
    private func complete(_ number: Int, with reply: ConnectionReply) {
        tasks[number] = nil
        session.budget.release(reply.finished)
        guard isChannelOpen, let context else {
            if tasks.isEmpty {
                finished.succeed()
            }
            return
        }
        complete(reply, context: context)
        context.flush()
    }

    /// Queues a finished request's reply line and counts its requests as done; the caller flushes.
    private func complete(_ reply: ConnectionReply, context: ChannelHandlerContext) {
        if let line = reply.line {
            write(line, context: context)
        }
        perform(state.requestsCompleted(reply.finished), context: context)
    }

    /// Writes a notification line; `writable` succeeds once the channel can take more, or fails
    /// if the connection is gone.
    func push(_ line: ByteBuffer, writable: EventLoopPromise<Void>) {
        guard isChannelOpen, let context else {
            writable.fail(RPCServerError.clientConnectionClosed)
            return
        }
        context.writeAndFlush(wrapOutboundOut(line), promise: nil)
        if context.channel.isWritable {
            writable.succeed()
        } else {
            pushWaiters.append(writable)
        }
    }

    /// Counts `request` as in flight and returns it ready to run, or `nil` if the state machine refuses it.
    private func admit(_ request: RPCRequest, immediately: Bool = false) -> RPCCall? {
        // A request for a task also needs a unit of the daemon-wide budget; refused, it is answered
        // `overloaded` (the connection is open) like one past the connection's own limit.
        let needsBudget = !immediately && state.acceptsRequests
        if needsBudget && !session.budget.acquire() { return nil }
        guard state.admitRequest(immediately: immediately) == .dispatch else {
            if needsBudget { session.budget.release(1) }
            return nil
        }
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

    private func write(_ line: ByteBuffer, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(line), promise: nil)
    }

    // MARK: - Lifecycle

    private func perform(_ action: ConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .armIdleTimer:
            idleDeadline = context.eventLoop.now + TimeAmount(configuration.idleTimeout)
            if idleTimer == nil {
                scheduleIdleTimer(context: context)
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

    /// Schedules the idle timer for ``idleDeadline``. Arming it again only moves the deadline, so a
    /// timer that fires early schedules itself anew; one that fires while requests are in flight
    /// does nothing, and the next completion arms it again.
    private func scheduleIdleTimer(context: ChannelHandlerContext) {
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: idleDeadline) {
            self.idleTimer = nil
            if context.eventLoop.now < self.idleDeadline {
                self.scheduleIdleTimer(context: context)
            } else {
                self.perform(self.state.idleTimerFired(), context: context)
            }
        }
    }

    /// Writes the notice (or nothing), closes once everything written so far is flushed, and
    /// closes regardless after the grace period if the client never reads.
    private func close(with notice: ConnectionStateMachine.CloseNotice?, context: ChannelHandlerContext) {
        cancelTimers()
        let line = notice.map { ByteBuffer(responseLine: RPCResponse(id: nil, error: error(for: $0))) } ?? ByteBuffer()
        let channel = context.channel
        // A connection refused before it was served has not read what its client sent: closing it fully would
        // make the client's request fail (`EPIPE` when the client writes after the close, as a `t4gctl` slowed
        // by a loaded machine did) before the client reads the notice. It shuts its output instead, reads and
        // drops what the client sends, and closes when the client has closed its side (after reading the
        // notice and the end of the stream), or at most three seconds later.
        let refusedAtConnect = !isAccepted
        context.writeAndFlush(wrapOutboundOut(line)).whenComplete { _ in
            channel.close(mode: refusedAtConnect ? .output : .all, promise: nil)
        }
        if refusedAtConnect {
            isDrainingRefusedClient = true
            context.read()
        }
        let linger =
            refusedAtConnect ? min(configuration.shutdownGracePeriod, .seconds(3)) : configuration.shutdownGracePeriod
        closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(linger)) {
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
        case .requestTimeout:
            let seconds = configuration.requestTimeout.components.seconds
            error = RPCError(
                .idleTimeout, message: "no whole request line within \(seconds) s",
                data: ["request_timeout_s": .integer(seconds)])
        case .unauthorized:
            error = RPCError(.unauthorized, message: "this user has no role: every method is refused")
        }
        logger.info("rpc connection closing", metadata: ["request_id": "\(requestID)", "reason": "\(error.reason)"])
        return error.stamped(requestID: requestID)
    }

    /// The channel closed or the handler left the pipeline: cancels the request tasks and fails
    /// waiting senders; `finished` succeeds once the last task has handed back its reply.
    private func channelEnded() {
        guard isChannelOpen else { return }
        isChannelOpen = false
        state.channelClosed()
        cancelTimers()
        let waiters = pushWaiters
        pushWaiters = []
        for waiter in waiters {
            waiter.fail(RPCServerError.clientConnectionClosed)
        }
        for task in tasks.values {
            task.cancel()
        }
        if tasks.isEmpty {
            finished.succeed()
        }
    }

    private func cancelTimers() {
        idleTimer?.cancel()
        idleTimer = nil
        requestTimer?.cancel()
        requestTimer = nil
        closeTimer?.cancel()
        closeTimer = nil
    }

    private func logRejected(method: String?, requestID: String, reason: RPCErrorReason) {
        var metadata: Logger.Metadata = ["request_id": "\(requestID)", "outcome": "\(reason.name)"]
        if let method {
            metadata["rpc_method"] = "\(method)"
        }
        logger.info("rpc request rejected", metadata: metadata)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}

extension NIOLoopBound<RPCConnectionHandler> {
    /// Runs `body` with the handler on its event loop: at once when already there, else enqueued.
    func withHandler(_ body: @escaping @Sendable (RPCConnectionHandler) -> Void) {
        if eventLoop.inEventLoop {
            body(value)
        } else {
            eventLoop.execute { body(self.value) }
        }
    }
}
