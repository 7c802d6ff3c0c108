import NIOHTTP1

/// The checks a request to the operations listener passes before it is routed: GET only, a short target, small
/// headers, no body. Pure, so it is tested by value.
enum OperationsRequest {
    /// The longest request target accepted.
    static let maxTargetBytes = 2048
    /// The most header bytes (names and values) accepted.
    static let maxHeaderBytes = 8192
    /// The most body bytes accepted (the endpoints take none; a client may send a few).
    static let maxBodyBytes = 1024

    /// What to do with a request head.
    enum Route: Equatable {
        case metrics, live, ready
        /// Answer at once with this status, then close.
        case refuse(HTTPResponseStatus)
    }

    /// Routes a request head; a refusal names the status to answer.
    static func route(_ head: HTTPRequestHead) -> Route {
        guard head.uri.utf8.count <= maxTargetBytes else { return .refuse(.uriTooLong) }
        guard head.headers.reduce(0, { $0 + $1.name.utf8.count + $1.value.utf8.count }) <= maxHeaderBytes else {
            return .refuse(.requestHeaderFieldsTooLarge)
        }
        if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > maxBodyBytes {
            return .refuse(.payloadTooLarge)
        }
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let route: Route
        switch path {
        case "/metrics": route = .metrics
        case "/health/live": route = .live
        case "/health/ready": route = .ready
        default: return .refuse(.notFound)
        }
        guard head.method == .GET else { return .refuse(.methodNotAllowed) }
        return route
    }
}
