import DaemonConfig
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The operations HTTP listener (`metrics.listen`, 127.0.0.1:9464 by default): `/metrics`, `/health/live` and
/// `/health/ready`. One request per connection (`Connection: close`), GET only, small requests, and a read
/// deadline, so a slow or hostile client holds nothing for long.
package struct OperationsServer: Service {
    /// Whether to listen, where, and how long to wait for a request.
    package struct Configuration: Sendable {
        var enabled: Bool
        var host: String
        var port: Int
        var readTimeout: TimeAmount = .seconds(5)

        /// Creates a configuration; requests must arrive within `readTimeout`.
        package init(enabled: Bool, host: String, port: Int, readTimeout: TimeAmount = .seconds(5)) {
            self.enabled = enabled
            self.host = host
            self.port = port
            self.readTimeout = readTimeout
        }
    }

    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let configuration: Configuration
    let responder: OperationsResponder
    let logger: Logger

    /// Creates a listener answering through `responder`.
    package init(configuration: Configuration, responder: OperationsResponder, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
    }

    /// Listens and answers until graceful shutdown (or waits for it when switched off).
    package func run() async throws {
        guard configuration.enabled else {
            // Switched off: a service that returned early would end the group, so wait for shutdown.
            try? await gracefulShutdown()
            return
        }
        let listener = try await bind()
        let address = listener.channel.localAddress
        logger.notice(
            "operations listener ready",
            metadata: ["listen": "\(address?.ipAddress ?? configuration.host):\(address?.port ?? configuration.port)"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await listener.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            listener.channel.close(promise: nil)
        }
    }

    private func bind() async throws -> NIOAsyncChannel<Connection, Never> {
        let readTimeout = configuration.readTimeout
        do {
            return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.backlog, value: 64)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(IdleStateHandler(readTimeout: readTimeout))
                        try pipeline.addHandler(CloseWhenIdle())
                        try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw ConfigurationFile.Problem(
                key: "metrics.listen", message: "cannot listen on \(configuration.host):\(configuration.port): \(error)"
            )
        }
    }

    /// Reads one request, answers it and closes the connection.
    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var route: OperationsRequest.Route?
                var bodyBytes = 0
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        route = OperationsRequest.route(head)
                        if case .refuse = route { break }
                        continue
                    case .body(let buffer):
                        bodyBytes += buffer.readableBytes
                        guard bodyBytes > OperationsRequest.maxBodyBytes else { continue }
                        route = .refuse(.payloadTooLarge)
                    case .end:
                        break
                    }
                    guard let route else { return }
                    try await write(await responder.respond(to: route), to: outbound)
                    return
                }
            }
        } catch {
            logger.debug("operations request failed", metadata: ["error": "\(error)"])
        }
    }

    private func write(
        _ response: OperationsResponder.Response, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "Connection", value: "close")
        if response.status == .methodNotAllowed { headers.add(name: "Allow", value: "GET") }
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: response.status, headers: headers)))
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
        try await outbound.write(.end(nil))
    }
}

/// Closes a connection that sent nothing for the read timeout.
private final class CloseWhenIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
