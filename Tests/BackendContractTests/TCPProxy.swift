import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP proxy on 127.0.0.1 for tests that need to break connections: it forwards every accepted connection
/// to `target`, can cut all open connections at once, and can refuse (accept and close at once) new ones.
final class TCPProxy: Sendable {
    private let server: any Channel
    private let state: NIOLockedValueBox<(refusing: Bool, open: [any Channel])>

    /// The port the proxy listens on.
    var port: Int { server.localAddress?.port ?? 0 }

    private init(server: any Channel, state: NIOLockedValueBox<(refusing: Bool, open: [any Channel])>) {
        self.server = server
        self.state = state
    }

    /// Starts a proxy to `targetPort` on 127.0.0.1.
    static func start(to targetPort: Int) async throws -> TCPProxy {
        let state = NIOLockedValueBox<(refusing: Bool, open: [any Channel])>((false, []))
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                if state.withLockedValue({ $0.refusing }) { return inbound.close() }
                return ClientBootstrap(group: inbound.eventLoop).connect(host: "127.0.0.1", port: targetPort)
                    .flatMap { outbound in
                        state.withLockedValue { $0.open += [inbound, outbound] }
                        return inbound.pipeline.addHandler(Forward(to: outbound))
                            .flatMap { outbound.pipeline.addHandler(Forward(to: inbound)) }
                            .flatMap { inbound.setOption(.autoRead, value: true) }
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TCPProxy(server: server, state: state)
    }

    /// Closes every connection open through the proxy.
    func cutAll() {
        for channel in state.withLockedValue({ $0.open }) { channel.close(promise: nil) }
    }

    /// Makes the proxy close new connections at once (`true`) or forward them again (`false`).
    func refuse(_ refusing: Bool) {
        state.withLockedValue { $0.refusing = refusing }
    }

    /// Cuts everything and stops listening.
    func stop() async {
        cutAll()
        try? await server.close()
    }

    /// Writes what one side reads to the other, and closes the other side when this one closes.
    private final class Forward: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let partner: any Channel

        init(to partner: any Channel) {
            self.partner = partner
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            partner.close(promise: nil)
            context.fireChannelInactive()
        }
    }
}
