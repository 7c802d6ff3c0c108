import JSONRPC
import NIOCore

/// A request the connection handler admitted, on its way to the service.
struct RPCCall: Sendable {
    let request: RPCRequest
    let requestID: String
    let received: ContinuousClock.Instant
}

/// One task's worth of work on a connection: what the handler passes to the ``ConnectionSession``.
enum ConnectionWork: Sendable {
    /// One request or notification.
    case single(RPCCall)
    /// A batch: requests to run and answers already known (invalid elements, refused requests), in order.
    case batch([BatchSlot])

    enum BatchSlot: Sendable {
        case call(RPCCall)
        case answered(RPCResponse)
    }
}

/// What a finished ``ConnectionWork`` hands back to the connection handler.
struct ConnectionReply: Sendable {
    /// The reply line, or `nil` if every request was a notification.
    let line: ByteBuffer?
    /// How many admitted requests finished.
    let finished: Int
}

/// Outbound user events the connection handler understands.
enum ConnectionEvent: Sendable {
    /// The server took the connection on: start reading requests.
    case accept
    /// The client subscribed to notifications: exempt from the idle timeout.
    case beginStreaming
    /// The server is shutting down: refuse new requests, close when in-flight ones finish or the grace period ends.
    case beginShutdown
    /// Tell the client why, then close at once.
    case refuse(ConnectionStateMachine.CloseNotice)
}
