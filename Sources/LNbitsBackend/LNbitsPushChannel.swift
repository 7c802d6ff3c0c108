import BackendHTTP
import Foundation
import Lightning
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// LNbits' push channel: one WebSocket connection to `/api/v1/ws/{invoice key}` (TLS when the base URL is
/// https, with the system's trust store), whose text frames are read as an `AsyncStream` that finishes when
/// the connection ends. The key is part of the path: it appears in no log line and no error.
struct LNbitsPushChannel: Sendable {
    /// Where LNbits listens, from its base URL.
    struct Endpoint: Sendable, Equatable {
        var tls: Bool
        var host: String
        var port: Int
        /// The base URL's path without a trailing slash (empty at the root).
        var pathPrefix: String

        /// Whether the host is an IP address literal (TLS sends no server name for it).
        var hostIsAddress: Bool {
            let parts = host.split(separator: ".", omittingEmptySubsequences: false)
            return host.contains(":") || (parts.count == 4 && parts.allSatisfy { UInt8($0) != nil })
        }

        /// The `Host` header: the host, with the port unless it is the scheme's default.
        var hostHeader: String {
            let host = self.host.contains(":") ? "[\(self.host)]" : self.host
            return port == (tls ? 443 : 80) ? host : "\(host):\(port)"
        }
    }

    let endpoint: Endpoint
    let timeout: Duration
    let pingInterval: Duration
    static let maxMessageBytes = 1 << 20

    /// Opens the channel for `key`: TCP connect and the HTTP upgrade, both within `timeout`. The stream's
    /// end (or the reader dropping it) closes the connection.
    ///
    /// - Throws: `unavailable` when LNbits cannot be reached or refuses the upgrade, `timeout`.
    func open(key: String) async throws(BackendError) -> AsyncStream<String> {
        let (messages, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let channel: any Channel
        let upgraded: EventLoopFuture<Bool>
        do {
            (channel, upgraded) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout.timeAmount)
                // LNbits' end of the stream (EOF) closes the channel at once, which ends the message stream.
                .channelOption(.allowRemoteHalfClosure, value: false)
                .connect(host: endpoint.host, port: endpoint.port) { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        (channel, try configure(channel, key: key, messages: continuation))
                    }
                }
        } catch {
            continuation.finish()
            throw Self.error(error)
        }
        continuation.onTermination = { _ in channel.close(promise: nil) }
        // The stream ends with the channel, whatever the pipeline does with the close.
        channel.closeFuture.whenComplete { _ in continuation.finish() }
        do {
            guard try await withDeadline(timeout, { try await upgraded.get() }) else {
                throw BackendError(.unavailable, "LNbits refused the WebSocket upgrade of its push channel")
            }
        } catch {
            continuation.finish()
            throw Self.error(error)
        }
        return messages
    }

    /// TLS (for https), the HTTP client with the WebSocket upgrade request, and after the upgrade the frame
    /// aggregator, the ping timer and the session handler. Returns whether the upgrade happened.
    private func configure(
        _ channel: any Channel, key: String, messages: AsyncStream<String>.Continuation
    ) throws -> EventLoopFuture<Bool> {
        let pipeline = channel.pipeline.syncOperations
        if endpoint.tls {
            let context = try NIOSSLContext(configuration: .makeClientConfiguration())
            let serverName = endpoint.hostIsAddress ? nil : endpoint.host
            try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
        }
        let pingInterval = pingInterval.timeAmount
        let upgrader = NIOTypedWebSocketClientUpgrader<Bool>(maxFrameSize: Self.maxMessageBytes) { channel, _ in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers([
                    NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 64,
                        maxAccumulatedFrameSize: Self.maxMessageBytes),
                    IdleStateHandler(readTimeout: pingInterval),
                    WebSocketSessionHandler(messages: messages),
                ])
                return true
            }
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: endpoint.hostHeader)
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(
            version: .http1_1, method: .GET, uri: "\(endpoint.pathPrefix)/api/v1/ws/\(key)", headers: headers)
        var configuration = NIOUpgradableHTTPClientPipelineConfiguration(
            upgradeConfiguration: NIOTypedHTTPClientUpgradeConfiguration(
                upgradeRequestHead: head, upgraders: [upgrader],
                notUpgradingCompletionHandler: { $0.eventLoop.makeSucceededFuture(false) }))
        configuration.leftOverBytesStrategy = .forwardBytes
        return try pipeline.configureUpgradableHTTPClientPipeline(configuration: configuration)
    }

    /// A failure to open the channel, without the key (which only the request path carries, and no NIO error
    /// repeats).
    private static func error(_ error: any Error) -> BackendError {
        if let error = error as? BackendError { return error }
        var timedOut = error is DeadlineExceeded
        if case .connectTimeout? = error as? ChannelError { timedOut = true }
        if timedOut {
            return BackendError(.timeout, "LNbits' push channel did not open before the deadline")
        }
        return BackendError(
            .unavailable,
            "cannot open LNbits' push channel: \(SecretRedaction.redacted(String(describing: error)))")
    }
}

extension LNbitsPushChannel.Endpoint {
    /// The endpoint of `baseURL` (`http` or `https`); `nil` for anything else.
    init?(baseURL: String) {
        guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { return nil }
        tls = scheme == "https"
        self.host = host
        port = url.port ?? (tls ? 443 : 80)
        let path = url.path
        pathPrefix = path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
