import JSONRPC
import NIOCore
import RPCWire

/// A handle on one client connection, for pushing notifications after a request returned.
///
/// `events.subscribe` returns its result, calls ``beginStreaming()``, and keeps calling
/// ``send(_:)`` from its own task until ``waitUntilClosed()`` returns or `send` throws.
public struct RPCConnection: Sendable {
    /// The connection's id in the logs (`connection_id`).
    public let id: String
    let channel: any Channel
    let handler: NIOLoopBound<RPCConnectionHandler>

    init(id: String, channel: any Channel, handler: NIOLoopBound<RPCConnectionHandler>) {
        self.id = id
        self.channel = channel
        self.handler = handler
    }

    /// Writes one notification line, waiting while the client is not reading fast enough.
    ///
    /// Back-pressure: after writing, the call suspends while the socket's send buffer and the
    /// channel's outbound buffer (64 KiB high-water mark) are full, so a slow reader slows the
    /// sender instead of growing memory. Cancelling the calling task ends the wait.
    ///
    /// - Throws: ``RPCServerError`` with code `connectionClosed` once the connection is gone, or
    ///   `CancellationError`.
    public func send(_ notification: RPCNotification) async throws {
        guard channel.isActive else {
            throw RPCServerError.clientConnectionClosed
        }
        let line = ByteBuffer(jsonLine: notification.json)
        let writable = channel.eventLoop.makePromise(of: Void.self)
        handler.withHandler { $0.push(line, writable: writable) }
        try await withTaskCancellationHandler {
            try await writable.futureResult.get()
        } onCancel: {
            writable.fail(CancellationError())
        }
    }

    /// Marks the connection as subscribed: it is no longer closed for being idle.
    public func beginStreaming() {
        channel.triggerUserOutboundEvent(ConnectionEvent.beginStreaming, promise: nil)
    }

    /// Whether the connection is closed.
    public var isClosed: Bool { !channel.isActive }

    /// Returns once the connection is closed.
    public func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }
}

extension RPCServerError {
    /// What ``RPCConnection/send(_:)`` throws once the client connection is gone.
    static var clientConnectionClosed: RPCServerError {
        RPCServerError(.connectionClosed, "the client connection is closed")
    }
}
