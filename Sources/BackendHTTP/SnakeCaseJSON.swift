import AsyncHTTPClient
import Foundation
import Lightning
import NIOHTTP1

/// JSON coding as LND's REST gateway and LNbits speak it: snake_case names on the wire, camelCase in Swift.
package enum SnakeCaseJSON {
    /// Decodes `bytes` as `type`.
    package static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(bytes))
    }

    /// Encodes `value`.
    package static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return [UInt8](try encoder.encode(value))
    }

    /// A request to `baseURL + path`, with `body` (if any) as its JSON body. Credentials are the caller's to add.
    ///
    /// - Throws: `invalidRequest` when `body` cannot be encoded.
    package static func request(
        _ method: HTTPMethod, _ baseURL: String, _ path: String, body: (some Encodable)?
    ) throws(BackendError) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            do {
                request.body = .bytes(try encode(body))
            } catch {
                throw BackendError(.invalidRequest, "cannot encode the request to \(path)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        return request
    }
}
