import Logging

/// Who sent a request, and how to reach them again.
public struct RPCRequestContext: Sendable {
    /// The peer process's credentials, read from the socket when the connection was accepted.
    public var peer: PeerCredentials
    /// This request's id: 16 hex digits, in the logs and in any error's `data.request_id`.
    public var requestID: String
    /// A logger whose metadata carries `request_id` and the connection's id and peer.
    ///
    /// Stamped with the request id when read, so that a request that logs nothing (most of them, at the default
    /// level) does not pay for a copy of the metadata.
    public var logger: Logger {
        var logger = connectionLogger
        logger[metadataKey: "request_id"] = "\(requestID)"
        return logger
    }
    /// The connection's logger, without the request id.
    private let connectionLogger: Logger
    /// The connection the request came on, for pushing notifications after replying.
    public var connection: RPCConnection

    /// Creates a context; the server makes one per request.
    public init(peer: PeerCredentials, requestID: String, connectionLogger logger: Logger, connection: RPCConnection) {
        self.peer = peer
        self.requestID = requestID
        self.connectionLogger = logger
        self.connection = connection
    }
}
