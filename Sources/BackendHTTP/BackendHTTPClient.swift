import AsyncHTTPClient
import Logging
import NIOCore
import NIOSSL

/// The `HTTPClient` through which a backend talks to its node or wallet, set up alike for every backend: one
/// shared connection pool, a connect timeout, idle connections closed after 3 s, no retry of a refused connection
/// (a call fails at once instead of retrying until its deadline), and AsyncHTTPClient's own logging held at `info`
/// or above (its trace lines carry bodies, which hold preimages). Requests and their headers (credentials) are the
/// caller's.
package struct BackendHTTPClient: Sendable {
    /// The largest answer body read.
    package static let maxBodyBytes = 16 << 20
    /// How long a pooled connection may stay idle before the client closes it: below common servers' keep-alive
    /// (uvicorn 5 s, nginx 75 s, Go's net/http unlimited).
    package static let idleTimeout = Duration.seconds(3)

    private let http: HTTPClient
    /// The logger given to AsyncHTTPClient.
    private let httpLogger: Logger

    /// Builds the client; no I/O yet.
    ///
    /// - Parameters:
    ///   - connectTimeout: how long establishing a connection may take.
    ///   - tls: the TLS configuration for https; `nil`: the system's trust store.
    ///   - http1Only: never negotiate HTTP/2.
    ///   - maxConnectionsPerHost: the HTTP/1.1 connections kept per host; a request beyond them queues until one
    ///     is free (AsyncHTTPClient's default is 8).
    ///   - logger: the backend's logger; AsyncHTTPClient gets a copy at `info` or above.
    package init(
        connectTimeout: Duration, tls: TLSConfiguration? = nil, http1Only: Bool = false,
        maxConnectionsPerHost: Int = 8, logger: Logger
    ) {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, timeout: .init(connect: connectTimeout.timeAmount, read: nil))
        configuration.connectionPool.retryConnectionEstablishment = false
        // An idle connection is closed before the server's keep-alive ends it (uvicorn, under LNbits, closes
        // after 5 s): a request written just as the server closes fails with `remoteConnectionClosed` (a full
        // CI run at load 45 lost an LNbits lookup so).
        configuration.connectionPool.idleTimeout = Self.idleTimeout.timeAmount
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, maxConnectionsPerHost)
        if http1Only { configuration.httpVersion = .http1Only }
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        var httpLogger = logger
        httpLogger.logLevel = max(logger.logLevel, .info)
        self.httpLogger = httpLogger
    }

    /// Closes every connection; requests after this fail.
    package func shutdown() async {
        try? await http.shutdown()
    }

    /// Sends `request` and reads the whole answer, both within `timeout`: its status and body, whatever the
    /// status.
    ///
    /// - Throws: ``DeadlineExceeded`` when `timeout` passes first; AsyncHTTPClient's error otherwise.
    package func exchange(_ request: HTTPClientRequest, timeout: Duration) async throws -> (UInt, [UInt8]) {
        let (http, httpLogger) = (http, httpLogger)
        return try await withDeadline(timeout) {
            let response = try await http.execute(request, deadline: .now() + timeout.timeAmount, logger: httpLogger)
            return (response.status.code, try await Self.body(of: response))
        }
    }

    /// Sends `request` and returns as soon as the answer's head arrived, within `timeout` (`nil`: no limit, for
    /// a stream that sends its head only with its first message). The body is the caller's to read.
    ///
    /// - Throws: ``DeadlineExceeded`` when `timeout` passes first; AsyncHTTPClient's error otherwise.
    package func head(_ request: HTTPClientRequest, timeout: Duration?) async throws -> HTTPClientResponse {
        let (http, httpLogger) = (http, httpLogger)
        guard let timeout else { return try await http.execute(request, deadline: .distantFuture, logger: httpLogger) }
        return try await withDeadline(timeout) {
            try await http.execute(request, deadline: .now() + timeout.timeAmount, logger: httpLogger)
        }
    }

    /// The whole body of `response`, at most ``maxBodyBytes``.
    package static func body(of response: HTTPClientResponse) async throws -> [UInt8] {
        var buffer = try await response.body.collect(upTo: maxBodyBytes)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}
