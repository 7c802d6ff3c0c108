import JSONRPC
import NIOCore

/// A request the connection handler admitted, on its way to the service.
struct RPCCall: Sendable {
    let request: RPCRequest
    let requestID: String
    let received: ContinuousClock.Instant
}

/// What the connection handler passes to the connection's session: one task's worth of work.
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

/// What the connection's session writes to the connection handler.
enum ConnectionOutbound: Sendable {
    /// Admitted requests finished: `finished` of them, answered by `line` (none if all were notifications).
    case completion(line: ByteBuffer?, finished: Int)
    /// A server-to-client notification line.
    case push(line: ByteBuffer)
}

/// Outbound user events the connection handler understands.
enum ConnectionEvent: Sendable {
    /// The client subscribed to notifications: exempt from the idle timeout.
    case beginStreaming
    /// The server is shutting down: refuse new requests, close when in-flight ones finish or the grace period ends.
    case beginShutdown
    /// Tell the client why, then close at once.
    case refuse(ConnectionStateMachine.CloseNotice)
}
