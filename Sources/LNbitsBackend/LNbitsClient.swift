import AsyncHTTPClient
import BackendHTTP
import Lightning
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP side of the LNbits backend: one ``BackendHTTPClient`` (HTTPS with the system's trust store); every
/// call names the key it uses (`X-Api-Key`, never logged) and is bounded by a deadline.
struct LNbitsClient: Sendable {
    let http: BackendHTTPClient
    let baseURL: String
    let requestTimeout: Duration
    let logger: Logger

    /// Builds the client; no I/O yet.
    init(baseURL: String, requestTimeout: Duration, logger: Logger) {
        http = BackendHTTPClient(connectTimeout: requestTimeout, logger: logger)
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    /// Closes every connection.
    func shutdown() async {
        await http.shutdown()
    }

    /// A call's status and body, whatever the status; bounded by `timeout` (default: the request timeout).
    func exchange(
        _ method: HTTPMethod, _ path: String, key: String?, body: (some Encodable)? = nil as Never?,
        timeout: Duration? = nil
    ) async throws(BackendError) -> (UInt, [UInt8]) {
        var request = try SnakeCaseJSON.request(method, baseURL, path, body: body)
        if let key { request.headers.add(name: "X-Api-Key", value: key) }
        logger.debug("LNbits request", metadata: ["method": "\(method)", "path": "\(path)"])
        do {
            return try await http.exchange(request, timeout: timeout ?? requestTimeout)
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
