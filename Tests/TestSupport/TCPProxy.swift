import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP proxy on 127.0.0.1 for tests that need to break connections: it forwards every accepted connection
/// to `target`, can cut all open connections at once, can refuse (accept and close at once) new ones, can
/// silence the WebSocket connections open through it (drop their bytes both ways, keeping the sockets open, as
/// a dead network path would), and can let requests through while dropping every answer (a backend that acts
/// and is then lost). It counts the HTTP requests it forwards by request line.
public final class TCPProxy: Sendable {
    private struct State {
        var refusing = false
        /// Connections closed at once because the proxy was refusing.
        var refusals = 0
        var droppingAnswers = false
        /// HTTP request lines (`POST /path`) seen from clients, and how often.
        var requests: [String: Int] = [:]
        /// Each forwarded connection: the accepted (client-side) channel and the one to the target.
        var open: [(client: any Channel, target: any Channel)] = []
        /// Client-side channels whose first bytes asked for a WebSocket upgrade.
        var webSockets: Set<ObjectIdentifier> = []
        /// Channels (both sides) whose bytes are dropped.
        var silenced: Set<ObjectIdentifier> = []
    }

    private let server: any Channel
    private let state: NIOLockedValueBox<State>

    /// The port the proxy listens on.
    public var port: Int { server.localAddress?.port ?? 0 }

    private init(server: any Channel, state: NIOLockedValueBox<State>) {
        self.server = server
        self.state = state
    }

    /// Starts a proxy to `targetPort` on 127.0.0.1.
    public static func start(to targetPort: Int) async throws -> TCPProxy {
        let state = NIOLockedValueBox(State())
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in
                let refused = state.withLockedValue { state in
                    if state.refusing { state.refusals += 1 }
                    return state.refusing
                }
                if refused { return inbound.close() }
                return ClientBootstrap(group: inbound.eventLoop).connect(host: "127.0.0.1", port: targetPort)
                    .flatMap { outbound in
                        state.withLockedValue { $0.open.append((inbound, outbound)) }
                        return inbound.pipeline.addHandler(Forward(to: outbound, state: state, client: true))
                            .flatMap { outbound.pipeline.addHandler(Forward(to: inbound, state: state, client: false)) }
                            .flatMap { inbound.setOption(.autoRead, value: true) }
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TCPProxy(server: server, state: state)
    }

    /// Closes every connection open through the proxy.
    public func cutAll() {
        for pair in state.withLockedValue({ $0.open }) {
            pair.client.close(promise: nil)
            pair.target.close(promise: nil)
        }
    }

    /// Makes the proxy close new connections at once (`true`) or forward them again (`false`).
    public func refuse(_ refusing: Bool) {
        state.withLockedValue { $0.refusing = refusing }
    }

    /// Forwards what clients send but drops everything the target answers (`true`), or forwards both ways
    /// again (`false`); connections stay open.
    public func dropAnswers(_ dropping: Bool) {
        state.withLockedValue { $0.droppingAnswers = dropping }
    }

    /// How many HTTP requests with this request line (method and path, e.g. `POST /api/v1/payments`) clients
    /// sent through the proxy, refused connections aside.
    public func requests(_ requestLine: String) -> Int {
        state.withLockedValue { $0.requests[requestLine, default: 0] }
    }

    /// How many connections the proxy refused (``refuse(_:)``): each one a client's attempt to reach the target.
    public var refusals: Int {
        state.withLockedValue { $0.refusals }
    }

    /// Drops every byte of the WebSocket connections open now, both ways, without closing them. Returns how
    /// many connections it silenced.
    @discardableResult
    public func silenceWebSockets() -> Int {
        state.withLockedValue { state in
            let webSockets = state.open.filter {
                $0.client.isActive && state.webSockets.contains(ObjectIdentifier($0.client))
            }
            for pair in webSockets {
                state.silenced.insert(ObjectIdentifier(pair.client))
                state.silenced.insert(ObjectIdentifier(pair.target))
            }
            return webSockets.count
        }
    }

    /// Cuts everything and stops listening.
    public func stop() async {
        cutAll()
        try? await server.close()
    }

    /// Writes what one side reads to the other unless the connection is silenced (or answers are dropped),
    /// notes the client side of a WebSocket upgrade and the request lines clients send, and closes the other
    /// side when this one closes.
    private final class Forward: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let partner: any Channel
        let state: NIOLockedValueBox<State>
        let client: Bool

        init(to partner: any Channel, state: NIOLockedValueBox<State>, client: Bool) {
            self.partner = partner
            self.state = state
            self.client = client
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = unwrapInboundIn(data)
            let id = ObjectIdentifier(context.channel)
            let silenced = state.withLockedValue { state in
                if client {
                    let text = String(buffer: bytes)
                    if text.lowercased().contains("upgrade: websocket") { state.webSockets.insert(id) }
                    for line in text.split(separator: "\r\n") where line.hasSuffix(" HTTP/1.1") {
                        state.requests[String(line.dropLast(" HTTP/1.1".count)), default: 0] += 1
                    }
                }
                return state.silenced.contains(id) || (!client && state.droppingAnswers)
            }
            if !silenced { partner.writeAndFlush(bytes, promise: nil) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            partner.close(promise: nil)
            context.fireChannelInactive()
        }
    }
}
