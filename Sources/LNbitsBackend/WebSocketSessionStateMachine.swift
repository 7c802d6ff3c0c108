import NIOCore
import NIOWebSocket

/// What a WebSocket client session does with each frame it receives and with each silence of the server:
/// text is delivered, pings are answered, a close is echoed, and a server that stays silent after a ping is
/// given up. Pure: its mutating methods return an action and do no I/O; tested by value.
struct WebSocketSessionStateMachine {
    /// What the channel handler does next.
    enum Action: Equatable {
        /// Nothing.
        case none
        /// Hands a text message to the reader.
        case deliver(String)
        /// Answers a ping with a pong carrying the same application data.
        case pong(ByteBuffer)
        /// Sends a ping to learn whether the server is still there.
        case ping
        /// Sends a close frame with this code, then closes the connection.
        case close(WebSocketErrorCode)
        /// Closes the connection without a close frame.
        case closeNow
    }

    private var awaitingPong = false
    private var closing = false

    /// The action for a whole (aggregated) frame from the server. Any frame proves the server alive.
    mutating func received(opcode: WebSocketOpcode, data: ByteBuffer) -> Action {
        awaitingPong = false
        switch opcode {
        case .text:
            return closing ? .none : .deliver(String(buffer: data))
        case .binary, .pong:
            return .none
        case .ping:
            return closing ? .none : .pong(data)
        case .connectionClose:
            guard !closing else { return .closeNow }
            closing = true
            return .close(.normalClosure)
        default:
            closing = true
            return .close(.protocolError)
        }
    }

    /// The action when the server sent nothing for one ping interval: a ping, or giving up when the last ping
    /// went unanswered.
    mutating func readIdle() -> Action {
        if awaitingPong || closing { return .closeNow }
        awaitingPong = true
        return .ping
    }
}
