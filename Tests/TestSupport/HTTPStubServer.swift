import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A scriptable HTTP(S) server on 127.0.0.1 and a free port, for tests of clients of public HTTP APIs: every
/// request gets the current ``Reply``, which the test changes at will. Counts the requests it answered.
public final class HTTPStubServer: Sendable {
    /// What the server answers.
    public enum Reply: Sendable {
        /// 200 with this body, as `application/json`.
        case json(String)
        /// This status with an empty body.
        case status(Int)
        /// The reply, after a delay.
        indirect case delayed(Duration, Reply)
    }

    private let channel: any Channel
    private let reply: NIOLockedValueBox<Reply>
    private let served: NIOLockedValueBox<Int>

    /// The port it listens on.
    public var port: Int { channel.localAddress?.port ?? 0 }

    /// Starts a server answering `reply`, over TLS with `tls` (a certificate chain and key) when given.
    public init(reply initial: Reply, tls: TLSConfiguration? = nil) async throws {
        let reply = NIOLockedValueBox(initial)
        let served = NIOLockedValueBox(0)
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(Responder(reply: reply, served: served))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.reply = reply
        self.served = served
    }

    /// Changes what every later request gets.
    public func answer(_ reply: Reply) { self.reply.withLockedValue { $0 = reply } }

    /// How many requests were answered.
    public var requestCount: Int { served.withLockedValue { $0 } }

    /// `http(s)://127.0.0.1:PORT` followed by `path`.
    public func url(_ path: String, tls: Bool = false) -> String {
        "\(tls ? "https" : "http")://127.0.0.1:\(port)\(path)"
    }

    /// Stops listening and closes open connections.
    public func close() async { try? await channel.close() }

    private final class Responder: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let reply: NIOLockedValueBox<Reply>
        let served: NIOLockedValueBox<Int>

        init(reply: NIOLockedValueBox<Reply>, served: NIOLockedValueBox<Int>) {
            self.reply = reply
            self.served = served
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            send(reply.withLockedValue { $0 }, context: context)
        }

        private func send(_ reply: Reply, context: ChannelHandlerContext) {
            switch reply {
            case .delayed(let delay, let then):
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(
                    in: .nanoseconds(
                        Int64(
                            delay.components.seconds * 1_000_000_000
                                + delay.components.attoseconds / 1_000_000_000))
                ) {
                    self.send(then, context: loopBound.value)
                }
            case .json(let body): write(.ok, body, context: context)
            case .status(let code): write(HTTPResponseStatus(statusCode: code), "", context: context)
            }
        }

        private func write(_ status: HTTPResponseStatus, _ body: String, context: ChannelHandlerContext) {
            var head = HTTPResponseHead(version: .http1_1, status: status)
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: "\(body.utf8.count)")
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            served.withLockedValue { $0 += 1 }
        }
    }
}

/// A throwaway certificate authority and a server certificate it signs for `localhost` and 127.0.0.1, made
/// with the openssl command (installed by scripts/setup.sh) in `directory`.
public struct TestCertificates: Sendable {
    /// The CA's certificate (PEM): what a client trusts.
    public let caFile: String
    /// The server's certificate (PEM).
    public let certificateFile: String
    /// The server's private key (PEM).
    public let keyFile: String

    /// Makes the CA and the server certificate.
    public init(in directory: TemporaryDirectory) throws {
        caFile = directory.file("ca.pem")
        certificateFile = directory.file("server.pem")
        keyFile = directory.file("server.key")
        let caKey = directory.file("ca.key")
        let request = directory.file("server.csr")
        let extensions = directory.file("server.ext")
        try "subjectAltName = DNS:localhost, IP:127.0.0.1\n".write(
            toFile: extensions, atomically: true, encoding: .utf8)
        for arguments in [
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", caFile, "-days", "2",
                "-subj", "/CN=t4gd test CA",
            ],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", request, "-subj", "/CN=localhost"],
            [
                "x509", "-req", "-in", request, "-CA", caFile, "-CAkey", caKey, "-CAcreateserial", "-out",
                certificateFile, "-days", "2", "-extfile", extensions,
            ],
        ] {
            guard try ChildProcess("/usr/bin/openssl", arguments).waitUntilExit() == 0 else {
                throw CocoaError(
                    .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments[0]) failed"])
            }
        }
    }

    /// A server TLS configuration with the certificate and key.
    public func serverConfiguration() throws -> TLSConfiguration {
        TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem)))
    }
}
