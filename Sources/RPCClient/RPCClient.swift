import JSONRPC
import NIOCore
import NIOPosix
import RPCWire

/// A JSON-RPC client for the daemon's Unix socket, for `t4gctl` and tests.
///
/// Calls may run concurrently on one client; each gets its own id and its reply is matched by
/// id. Notifications the daemon pushes (after `events.subscribe`) arrive on ``notifications``.
public final class RPCClient: Sendable {
    private let channel: any Channel
    private let closeReason: CloseReason

    /// Notifications from the daemon, in arrival order; finishes when the connection closes.
    ///
    /// Iterate it from one task only, and keep up: it buffers whatever the daemon sends.
    public let notifications: AsyncStream<RPCNotification>

    private init(channel: any Channel, notifications: AsyncStream<RPCNotification>, closeReason: CloseReason) {
        self.channel = channel
        self.notifications = notifications
        self.closeReason = closeReason
    }

    /// Connects to the daemon.
    ///
    /// - Parameters:
    ///   - path: the socket path.
    ///   - maxLineBytes: the longest reply line accepted.
    ///   - eventLoopGroup: the NIO event loops to use.
    /// - Throws: ``RPCServerError`` with code `connectFailed`.
    public static func connect(
        unixDomainSocketPath path: String,
        maxLineBytes: Int = 64 << 20,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RPCClient {
        let (notifications, continuation) = AsyncStream.makeStream(of: RPCNotification.self)
        let closeReason = CloseReason()
        do {
            let channel = try await ClientBootstrap(group: eventLoopGroup)
                .connect(unixDomainSocketPath: path) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = RPCClientHandler(
                            maxLineBytes: maxLineBytes, notifications: continuation, closeReason: closeReason)
                        try channel.pipeline.syncOperations.addHandler(handler)
                        return channel
                    }
                }
            return RPCClient(channel: channel, notifications: notifications, closeReason: closeReason)
        } catch {
            continuation.finish()
            throw RPCServerError(.connectFailed, "cannot connect to \(path): \(error)")
        }
    }

    /// Calls `method` and returns its result.
    ///
    /// - Parameters:
    ///   - method: the method name.
    ///   - params: the named parameters.
    ///   - timeout: how long to wait for the reply; `nil` waits as long as the connection lives.
    /// - Throws: the daemon's ``RPCError``; the error the daemon sent before closing the
    ///   connection (for example `shutting_down`), as an ``RPCError``; ``RPCServerError`` with code
    ///   `connectionClosed` or `timeout`; or `CancellationError` if the calling task is cancelled.
    public func call(_ method: String, params: JSONObject = [:], timeout: Duration? = nil) async throws -> JSONValue {
        let promise = channel.eventLoop.makePromise(of: Result<JSONValue, RPCError>.self)
        let closeReason = closeReason
        channel.writeAndFlush(ClientOutbound.call(method: method, params: params, promise: promise))
            .whenFailure { _ in
                if let reason = closeReason.error {
                    promise.succeed(.failure(reason))
                } else {
                    promise.fail(RPCServerError(.connectionClosed, "the connection to the daemon is closed"))
                }
            }
        if let timeout {
            let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                promise.fail(RPCServerError(.timeout, "no reply to \(method) within \(timeout)"))
            }
            promise.futureResult.whenComplete { _ in deadline.cancel() }
        }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get().get()
        } onCancel: {
            promise.fail(CancellationError())
        }
    }

    /// Sends a notification: a request without id, which gets no reply.
    ///
    /// - Throws: ``RPCServerError`` with code `connectionClosed`.
    public func notify(_ method: String, params: JSONObject = [:]) async throws {
        do {
            try await channel.writeAndFlush(ClientOutbound.notify(method: method, params: params))
        } catch {
            throw RPCServerError(.connectionClosed, "the connection to the daemon is closed")
        }
    }

    /// Whether the connection is closed.
    public var isClosed: Bool { !channel.isActive }

    /// Closes the connection; calls still waiting fail with `connectionClosed`.
    public func close() async {
        try? await channel.close()
    }
}
