import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import LNbitsBackend

/// The WebSocket client session (state machine by value, handler in an `EmbeddedChannel`), LNbits' push frames,
/// the reconnect backoff and the push endpoint, without a network.
@Suite struct WebSocketSessionTests {
    @Test func theStateMachineDeliversTextAnswersPingsAndEchoesClose() {
        var state = WebSocketSessionStateMachine()
        #expect(state.received(opcode: .text, data: ByteBuffer(string: "hi")) == .deliver("hi"))
        #expect(state.received(opcode: .ping, data: ByteBuffer(string: "p")) == .pong(ByteBuffer(string: "p")))
        #expect(state.received(opcode: .binary, data: ByteBuffer(string: "b")) == .none)
        #expect(state.received(opcode: .connectionClose, data: ByteBuffer()) == .close(.normalClosure))
        #expect(state.received(opcode: .text, data: ByteBuffer(string: "late")) == .none)
        #expect(state.received(opcode: .connectionClose, data: ByteBuffer()) == .closeNow)
        var broken = WebSocketSessionStateMachine()
        #expect(
            broken.received(opcode: WebSocketOpcode(encodedWebSocketOpcode: 0x3)!, data: ByteBuffer())
                == .close(.protocolError))
    }

    @Test func aSilentServerIsPingedThenGivenUp() {
        var state = WebSocketSessionStateMachine()
        #expect(state.readIdle() == .ping)
        #expect(state.received(opcode: .pong, data: ByteBuffer()) == .none)
        #expect(state.readIdle() == .ping, "a pong keeps the connection")
        #expect(state.received(opcode: .text, data: ByteBuffer(string: "x")) == .deliver("x"))
        #expect(state.readIdle() == .ping, "any frame proves the server alive")
        #expect(state.readIdle() == .closeNow)
    }

    @Test func theHandlerJoinsFragmentsAnswersPingsAndClosesOnSilence() async throws {
        let (messages, continuation) = AsyncStream<String>.makeStream()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            NIOWebSocketFrameAggregator(
                minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 8, maxAccumulatedFrameSize: 1024),
            WebSocketSessionHandler(messages: continuation),
        ])
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        try channel.writeInbound(WebSocketFrame(fin: false, opcode: .text, data: ByteBuffer(string: "{\"pay")))
        try channel.writeInbound(WebSocketFrame(fin: true, opcode: .continuation, data: ByteBuffer(string: "ment\"}")))
        try channel.writeInbound(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer(string: "are you there")))
        let pong = try #require(try channel.readOutbound(as: WebSocketFrame.self))
        #expect(pong.opcode == .pong)
        #expect(pong.maskKey != nil, "client frames are masked")
        #expect(pong.data == ByteBuffer(string: "are you there"), "the encoder masks the payload")
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        #expect(try channel.readOutbound(as: WebSocketFrame.self)?.opcode == .ping)
        #expect(channel.isActive)
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive, "no answer to the ping: the connection is given up")
        var received: [String] = []
        for await message in messages { received.append(message) }
        #expect(received == ["{\"payment\"}"], "the stream finishes with the connection")
    }

    /// The pipeline's own read timer (`IdleStateHandler`, as ``LNbitsPushChannel`` installs it) with the session
    /// handler, in an `NIOAsyncTestingChannel`: one silent interval sends a ping, a pong (or any frame) keeps the
    /// connection, and a second silent interval after an unanswered ping closes it and ends the message stream.
    /// IdleStateHandler reads the wall clock for the last read and the event loop's clock for its timer, so the
    /// test sleeps before each advance of the loop.
    @Test func aSilentConnectionIsGivenUpAfterTwoReadTimeouts() async throws {
        let timeout = TimeAmount.milliseconds(100)
        let (messages, continuation) = AsyncStream<String>.makeStream()
        let channel = try await NIOAsyncTestingChannel { channel in
            try channel.pipeline.syncOperations.addHandlers([
                IdleStateHandler(readTimeout: timeout), WebSocketSessionHandler(messages: continuation),
            ])
        }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        func silence() async throws {
            try await Task.sleep(for: .milliseconds(150))
            await channel.testingEventLoop.advanceTime(by: timeout)
        }
        try await silence()
        #expect(try await channel.readOutbound(as: WebSocketFrame.self)?.opcode == .ping, "silent once: a ping")
        try await channel.writeInbound(WebSocketFrame(fin: true, opcode: .pong, data: ByteBuffer()))
        try await silence()
        #expect(try await channel.readOutbound(as: WebSocketFrame.self)?.opcode == .ping, "answered: pinged again")
        #expect(channel.isActive)
        try await silence()
        await channel.testingEventLoop.run()
        #expect(!channel.isActive, "the ping went unanswered for a whole interval: closed")
        #expect(try await channel.readOutbound(as: WebSocketFrame.self) == nil, "closed without a close frame")
        var received: [String] = []
        for await message in messages { received.append(message) }
        #expect(received.isEmpty, "the stream ended with the connection")
    }

    @Test func theEndOfTheServersStreamEndsTheMessages() async throws {
        let (messages, continuation) = AsyncStream<String>.makeStream()
        let channel = EmbeddedChannel(handler: WebSocketSessionHandler(messages: continuation))
        channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 1), promise: nil)
        try channel.writeInbound(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: "last")))
        channel.pipeline.fireChannelInactive()
        var received: [String] = []
        for await message in messages { received.append(message) }
        #expect(received == ["last"])
    }

    @Test func theHandlerEchoesTheServersClose() throws {
        let (_, continuation) = AsyncStream<String>.makeStream()
        let channel = EmbeddedChannel(handler: WebSocketSessionHandler(messages: continuation))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        #expect(channel.isActive)
        var code = ByteBuffer()
        code.write(webSocketErrorCode: .goingAway)
        try channel.writeInbound(WebSocketFrame(fin: true, opcode: .connectionClose, data: code))
        let close = try #require(try channel.readOutbound(as: WebSocketFrame.self))
        #expect(close.opcode == .connectionClose)
        var data = close.data
        #expect(data.readWebSocketErrorCode() == .normalClosure)
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
    }

    @Test func onlySettledIncomingPaymentsAreHints() {
        let hash = String(repeating: "ab", count: 32)
        func frame(amount: Int, status: String) -> String {
            #"{"wallet_balance": 1021, "payment": {"checking_id": "x", "payment_hash": "\#(hash)", "#
                + #""wallet_id": "w", "amount": \#(amount), "fee": 0, "bolt11": "lnbc1", "status": "\#(status)", "#
                + #""preimage": null, "updated_at": "2026-11-25T16:35:53.482142+00:00"}}"#
        }
        #expect(LNbitsPushFrame.settledInvoice(in: frame(amount: 21_000, status: "success"))?.hex == hash)
        #expect(LNbitsPushFrame.settledInvoice(in: frame(amount: -21_000, status: "success")) == nil)
        #expect(LNbitsPushFrame.settledInvoice(in: frame(amount: 21_000, status: "pending")) == nil)
        #expect(LNbitsPushFrame.settledInvoice(in: "forged-hello") == nil)
        #expect(LNbitsPushFrame.settledInvoice(in: #"{"pending": false, "status": "success"}"#) == nil)
    }

    @Test func theBackoffDoublesToItsMaximumAndResetsAfterAStableConnection() {
        var backoff = ReconnectBackoff(initial: .milliseconds(500), maximum: .seconds(4), stableAfter: .seconds(60))
        let failing = (0..<6).map { _ in backoff.delay(afterConnectionLasting: nil) }
        #expect(failing == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4)])
        #expect(backoff.delay(afterConnectionLasting: .seconds(1)) == .seconds(4), "a connection that broke at once")
        #expect(backoff.delay(afterConnectionLasting: .seconds(90)) == .milliseconds(500))
        #expect(backoff.delay(afterConnectionLasting: nil) == .seconds(1))
    }

    @Test func theEndpointComesFromTheBaseURL() throws {
        let local = try #require(LNbitsPushChannel.Endpoint(baseURL: "http://127.0.0.1:5000"))
        #expect(local == .init(tls: false, host: "127.0.0.1", port: 5000, pathPrefix: ""))
        #expect(local.hostIsAddress)
        #expect(local.hostHeader == "127.0.0.1:5000")
        let hosted = try #require(LNbitsPushChannel.Endpoint(baseURL: "https://pay.example.com/lnbits/"))
        #expect(hosted == .init(tls: true, host: "pay.example.com", port: 443, pathPrefix: "/lnbits"))
        #expect(!hosted.hostIsAddress)
        #expect(hosted.hostHeader == "pay.example.com")
        #expect(LNbitsPushChannel.Endpoint(baseURL: "ftp://example.com") == nil)
    }
}
