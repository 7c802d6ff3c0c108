import JSONRPC
import NIOCore
import RPCWire
import Synchronization

/// What ``RPCClient`` writes into its channel.
enum ClientOutbound: Sendable {
    /// A request; the handler picks its id and completes `promise` with the reply.
    case call(method: String, params: JSONObject, promise: EventLoopPromise<Result<JSONValue, RPCError>>)
    /// A notification; no reply.
    case notify(method: String, params: JSONObject)
}

/// The client's event-loop side: numbers requests, matches replies by id, forwards notifications.
final class RPCClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ClientOutbound
    typealias OutboundOut = ByteBuffer

    private var framer: LineFramer
    private let notifications: AsyncStream<RPCNotification>.Continuation
    private var nextID: Int64 = 1
    private var pending: [RPCID: EventLoopPromise<Result<JSONValue, RPCError>>] = [:]
    /// An error the server sent with id null (idle timeout, shutdown, ...), given to calls the close interrupts.
    private let closeReason: CloseReason
    private var isClosed = false

    init(maxLineBytes: Int, notifications: AsyncStream<RPCNotification>.Continuation, closeReason: CloseReason) {
        self.framer = LineFramer(maxLineBytes: maxLineBytes)
        self.notifications = notifications
        self.closeReason = closeReason
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !isClosed else {
            // A call made after the daemon refused the connection gets the daemon's reason (`unauthorized`).
            if let closeReason = closeReason.error, case .call(_, _, let replyPromise) = unwrapOutboundIn(data) {
                replyPromise.succeed(.failure(closeReason))
            }
            promise?.fail(RPCServerError(.connectionClosed, "the connection to the daemon is closed"))
            return
        }
        let request: RPCRequest
        switch unwrapOutboundIn(data) {
        case .call(let method, let params, let replyPromise):
            let id = RPCID.integer(nextID)
            nextID += 1
            pending[id] = replyPromise
            request = RPCRequest(id: id, method: method, params: params)
        case .notify(let method, let params):
            request = RPCRequest(id: nil, method: method, params: params)
        }
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(jsonLine: request.json)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        framer.append(unwrapInboundIn(data))
        while let frame = framer.next() {
            guard case .line(let line) = frame,
                let message = try? JSONValue.parse(line.readableBytesView, limits: JSONParseLimits(maxDepth: 1024))
            else {
                failAll(RPCServerError(.invalidReply, "the daemon sent a line that is not JSON or is too long"))
                context.close(promise: nil)
                return
            }
            for element in message.arrayValue ?? [message] where !receive(element) {
                failAll(RPCServerError(.invalidReply, "the daemon sent something that is not a JSON-RPC reply"))
                context.close(promise: nil)
                return
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RPCServerError(.connectionClosed, "the daemon closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Handles one response or notification; returns `false` if it is neither.
    private func receive(_ element: JSONValue) -> Bool {
        if let response = RPCResponse(json: element) {
            if let id = response.id {
                pending.removeValue(forKey: id)?.succeed(response.outcome)
            } else if case .failure(let error) = response.outcome {
                closeReason.error = error
            }
            return true
        }
        if let notification = RPCNotification(json: element) {
            notifications.yield(notification)
            return true
        }
        return false
    }

    private func failAll(_ error: RPCServerError) {
        guard !isClosed else { return }
        isClosed = true
        let calls = pending
        pending = [:]
        for promise in calls.values {
            if let closeReason = closeReason.error {
                promise.succeed(.failure(closeReason))
            } else {
                promise.fail(error)
            }
        }
        notifications.finish()
    }
}

/// The error the daemon sent before closing the connection, kept beyond the channel's life: a call written
/// after the channel closed (the daemon refused the connection before the caller got to write) never reaches
/// the handler, and gets this reason instead of a bare "connection closed".
final class CloseReason: Sendable {
    private let value = Mutex<RPCError?>(nil)

    /// The daemon's error, once received.
    var error: RPCError? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
