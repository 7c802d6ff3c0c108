import NIOCore
import NIOWebSocket

/// The last handler of an upgraded WebSocket client pipeline: runs ``WebSocketSessionStateMachine`` on the
/// frames (after `NIOWebSocketFrameAggregator`) and on `IdleStateHandler`'s read-idle events, yields text
/// messages to `messages` and finishes it when the connection ends.
final class WebSocketSessionHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private var state = WebSocketSessionStateMachine()
    private let messages: AsyncStream<String>.Continuation

    /// A handler yielding into `messages`.
    init(messages: AsyncStream<String>.Continuation) {
        self.messages = messages
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        perform(state.received(opcode: frame.opcode, data: frame.unmaskedData), context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            perform(state.readIdle(), context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        messages.finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        messages.finish()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func perform(_ action: WebSocketSessionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            return
        case .deliver(let text):
            messages.yield(text)
        case .pong(let data):
            send(.pong, data, context: context)
        case .ping:
            send(.ping, context.channel.allocator.buffer(capacity: 0), context: context)
        case .close(let code):
            var data = context.channel.allocator.buffer(capacity: 2)
            data.write(webSocketErrorCode: code)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(Self.frame(.connectionClose, data))).whenComplete { _ in
                channel.close(promise: nil)
            }
        case .closeNow:
            context.close(promise: nil)
        }
    }

    private func send(_ opcode: WebSocketOpcode, _ data: ByteBuffer, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(Self.frame(opcode, data)), promise: nil)
    }

    /// A client frame: always masked (RFC 6455 §5.3).
    private static func frame(_ opcode: WebSocketOpcode, _ data: ByteBuffer) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data)
    }
}
