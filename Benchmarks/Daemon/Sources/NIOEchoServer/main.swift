import NIOCore
import NIOPosix

/// Answers every `\n`-terminated line received with one fixed reply line, on SwiftNIO's event loops (one per
/// core, as in t4gd): the NIO transport's ceiling for the daemon.info benchmark.
///
/// Usage: NIOEchoServer SOCKET REPLY
final class LineEchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let reply: ByteBuffer
    private var pending = 0

    init(reply: ByteBuffer) {
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let lines = buffer.readableBytesView.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        for _ in 0..<lines { context.write(wrapOutboundOut(reply), promise: nil) }
        pending += lines
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if pending > 0 {
            pending = 0
            context.flush()
        }
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else { fatalError("usage: NIOEchoServer SOCKET REPLY") }
let reply = ByteBuffer(string: arguments[2] + "\n")
let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    .serverChannelOption(ChannelOptions.backlog, value: 4096)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(LineEchoHandler(reply: reply))
        }
    }
    .bind(unixDomainSocketPath: arguments[1], cleanupExistingSocketFile: true)
    .get()
try await channel.closeFuture.get()
