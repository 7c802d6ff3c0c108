import AsyncHTTPClient
import BackendHTTP
import Lightning
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP side of the LNbits backend: one shared `HTTPClient`; every call names the key it uses
/// (`X-Api-Key`, never logged) and is bounded by a deadline.
struct LNbitsClient: Sendable {
    let http: HTTPClient
    let baseURL: String
    let requestTimeout: Duration
    let logger: Logger
    /// The logger given to AsyncHTTPClient: at most `info`, as its trace lines carry bodies (preimages).
    let httpLogger: Logger
    static let maxBodyBytes = 16 << 20

    /// Builds the client; no I/O yet. HTTPS uses the system's trust store.
    init(baseURL: String, requestTimeout: Duration, logger: Logger) {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: requestTimeout.timeAmount, read: nil))
        // Fail a request at once when LNbits refuses the connection, instead of retrying until its deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.requestTimeout = requestTimeout
        self.logger = logger
        var httpLogger = logger
        httpLogger.logLevel = max(logger.logLevel, .info)
        self.httpLogger = httpLogger
    }

    /// Closes every connection.
    func shutdown() async {
        try? await http.shutdown()
    }

    /// A call's status and body, whatever the status; bounded by `timeout` (default: the request timeout).
    func exchange(
        _ method: HTTPMethod, _ path: String, key: String?, body: (some Encodable)? = nil as Never?,
        timeout: Duration? = nil
    ) async throws(BackendError) -> (UInt, [UInt8]) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let key { request.headers.add(name: "X-Api-Key", value: key) }
        if let body {
            do {
                request.body = .bytes(try LNbitsJSON.encode(body))
            } catch {
                throw BackendError(.invalidRequest, "cannot encode the request to \(path)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let timeout = timeout ?? requestTimeout
        let (http, httpLogger) = (http, httpLogger)
        logger.debug("LNbits request", metadata: ["method": "\(method)", "path": "\(path)"])
        do {
            return try await withDeadline(timeout) { [request] in
                let response = try await http.execute(
                    request, deadline: .now() + timeout.timeAmount, logger: httpLogger)
                var buffer = try await response.body.collect(upTo: Self.maxBodyBytes)
                return (response.status.code, buffer.readBytes(length: buffer.readableBytes) ?? [])
            }
        } catch {
            throw LNbitsErrorMapping.transport(error, operation: "\(method) \(path)")
        }
    }

    /// A call decoded on 2xx, the mapped error otherwise.
    func call<Answer: Decodable & Sendable>(
        _ method: HTTPMethod, _ path: String, key: String?, body: (some Encodable)? = nil as Never?,
        as type: Answer.Type
    ) async throws(BackendError) -> Answer {
        let (status, bytes) = try await exchange(method, path, key: key, body: body)
        guard (200..<300).contains(status) else { throw LNbitsErrorMapping.error(status: status, body: bytes) }
        return try Self.decode(type, bytes, what: "\(method) \(path)")
    }

    /// Decodes an answer, or throws `failure`.
    static func decode<Answer: Decodable>(_ type: Answer.Type, _ bytes: [UInt8], what: String) throws(BackendError)
        -> Answer
    {
        do {
            return try LNbitsJSON.decode(type, from: bytes)
        } catch {
            throw BackendError(.failure, "LNbits' answer to \(what) is not what t4gd expects: \(error)")
        }
    }
}
