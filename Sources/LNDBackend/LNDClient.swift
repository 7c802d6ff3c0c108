import AsyncHTTPClient
import BackendHTTP
import Foundation
import Lightning
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// The HTTP side of the LND backend: two ``BackendHTTPClient``s (HTTP/1.1) that trust only the node's certificate
/// and send the macaroon with every request, one for unary calls and one for streams. A stream holds its
/// connection for as long as it runs (a payment up to a minute, the invoice subscription for ever), so streams
/// have their own pool and never make a short call queue behind them. Every call has a deadline.
struct LNDClient: Sendable {
    /// How a streaming call started: LND streams, or it refused before the first message.
    enum StreamStart: Sendable {
        case open(HTTPClientResponse)
        case rejected(status: UInt, body: [UInt8])
    }

    /// Unary calls.
    let http: BackendHTTPClient
    /// Streams: payments, tracks and the invoice subscription.
    let streams: BackendHTTPClient
    let baseURL: String
    /// The macaroon, hex. Sent in `Grpc-Metadata-macaroon`; never logged, never in an error.
    let macaroonHex: String
    let requestTimeout: Duration
    let logger: Logger

    /// Reads the certificate and builds the client; no I/O to LND yet.
    init(
        baseURL: String, tlsCertPath: String, macaroonHex: String, requestTimeout: Duration, verifyHostname: Bool,
        connections: (calls: Int, streams: Int) = (8, 64), logger: Logger
    ) throws(BackendError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            let certificates = try NIOSSLCertificate.fromPEMFile(tlsCertPath)
            guard !certificates.isEmpty else { throw BackendError(.unavailable, "no certificate") }
            tls.trustRoots = .certificates(certificates)
        } catch {
            throw BackendError(.unavailable, "cannot read LND's TLS certificate at \(tlsCertPath)")
        }
        tls.certificateVerification = verifyHostname ? .fullVerification : .noHostnameVerification
        // Closing a connection waits this long for the server's close_notify (NIO's default is 5 s).
        tls.shutdownTimeout = .seconds(1)
        http = BackendHTTPClient(
            connectTimeout: requestTimeout, tls: tls, http1Only: true, maxConnectionsPerHost: connections.calls,
            logger: logger)
        streams = BackendHTTPClient(
            connectTimeout: requestTimeout, tls: tls, http1Only: true, maxConnectionsPerHost: connections.streams,
            logger: logger)
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.macaroonHex = macaroonHex
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    /// Closes every connection.
    func shutdown() async {
        await http.shutdown()
        await streams.shutdown()
    }

    /// A unary call: the decoded answer on 2xx, else the mapped error. Bounded by the request timeout.
    func call<Answer: Decodable & Sendable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = nil as Never?, as type: Answer.Type
    ) async throws(BackendError) -> Answer {
        let (status, bytes) = try await exchange(method, path, body: body)
        guard (200..<300).contains(status) else { throw LNDErrorMapping.error(status: status, body: bytes) }
        do {
            return try LNDJSON.decode(type, from: bytes)
        } catch {
            throw BackendError(.failure, "LND's answer to \(method) \(path) is not what t4gd expects: \(error)")
        }
    }

    /// A unary call's status and body, whatever the status. Bounded by the request timeout.
    func exchange(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = nil as Never?
    ) async throws(BackendError) -> (UInt, [UInt8]) {
        let request = try makeRequest(method, path, body: body)
        logger.debug("LND request", metadata: ["method": "\(method)", "path": "\(path)"])
        do {
            return try await http.exchange(request, timeout: requestTimeout)
        } catch {
            throw LNDErrorMapping.transport(error, operation: "\(method) \(path)")
        }
    }

    /// Starts a streaming call. `headTimeout` bounds the wait for the response head (`nil`: wait as long as it
    /// takes, for subscriptions that send no head before their first event). A refusal's body is read within
    /// the request timeout.
    func stream(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = nil as Never?, headTimeout: Duration?
    ) async throws(BackendError) -> StreamStart {
        let request = try makeRequest(method, path, body: body)
        logger.debug("LND stream", metadata: ["method": "\(method)", "path": "\(path)"])
        let response: HTTPClientResponse
        do {
            response = try await streams.head(request, timeout: headTimeout)
        } catch {
            throw LNDErrorMapping.transport(error, operation: "\(method) \(path)")
        }
        guard (200..<300).contains(response.status.code) else {
            let body: [UInt8]
            do {
                body = try await withDeadline(requestTimeout) { try await BackendHTTPClient.body(of: response) }
            } catch {
                body = []
            }
            return .rejected(status: response.status.code, body: body)
        }
        return .open(response)
    }

    /// Reads `response`'s lines until `handle` returns `true` (done) or the stream ends (returns `false`).
    /// Throws what the transport throws (a dropped connection) and ``BackendError`` for a line that is not JSON.
    static func readLines<Message: Decodable & Sendable>(
        of response: HTTPClientResponse, as type: Message.Type,
        _ handle: (LNDStreamMessage<Message>) async throws -> Bool
    ) async throws -> Bool {
        var buffer = JSONLineBuffer()
        for try await chunk in response.body {
            for line in try buffer.append(chunk.readableBytesView) {
                if try await handle(try decodeLine(line, as: type)) { return true }
            }
        }
        if let line = buffer.finish() {
            return try await handle(try decodeLine(line, as: type))
        }
        return false
    }

    private static func decodeLine<Message: Decodable & Sendable>(
        _ line: [UInt8], as type: Message.Type
    ) throws(BackendError) -> LNDStreamMessage<Message> {
        do {
            return try LNDJSON.decode(LNDStreamMessage<Message>.self, from: line)
        } catch {
            throw BackendError(.failure, "LND streamed a line t4gd cannot read: \(error)")
        }
    }

    private func makeRequest(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)?
    ) throws(BackendError) -> HTTPClientRequest {
        var request = try SnakeCaseJSON.request(method, baseURL, path, body: body)
        request.headers.add(name: "Grpc-Metadata-macaroon", value: macaroonHex)
        return request
    }
}
