/// A failure of the RPC transport: the socket file, a connection, or the client.
///
/// The description says what happened and where (a socket path); it never holds request data.
public struct RPCServerError: Error, Hashable, Sendable {
    /// A broad classification of the failure.
    public var code: Code
    /// What went wrong, for logs and the operator.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The kinds of transport failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case socketInUse = "socket in use"
            case invalidSocketPath = "invalid socket path"
            case socketSetupFailed = "socket setup failed"
            case alreadyStarted = "already started"
            case notListening = "not listening"
            case peerCredentialsUnavailable = "peer credentials unavailable"
            case connectionClosed = "connection closed"
            case connectFailed = "connect failed"
            case invalidReply = "invalid reply"
            case timeout = "timeout"
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) {
            self.wrapped = wrapped
        }

        public var description: String { wrapped.rawValue }

        /// Another process accepts connections on the socket path.
        public static var socketInUse: Self { Self(.socketInUse) }
        /// The socket path is too long, its directory is missing, or something that is not a socket is there.
        public static var invalidSocketPath: Self { Self(.invalidSocketPath) }
        /// Binding the socket or setting its permissions failed.
        public static var socketSetupFailed: Self { Self(.socketSetupFailed) }
        /// `run()` was called on a server that already ran.
        public static var alreadyStarted: Self { Self(.alreadyStarted) }
        /// The server stopped (or failed to start) before it listened.
        public static var notListening: Self { Self(.notListening) }
        /// The kernel did not report who is on the other end of a connection.
        public static var peerCredentialsUnavailable: Self { Self(.peerCredentialsUnavailable) }
        /// The connection is closed; nothing more can be sent or received on it.
        public static var connectionClosed: Self { Self(.connectionClosed) }
        /// The client could not connect to the socket.
        public static var connectFailed: Self { Self(.connectFailed) }
        /// The server sent something that is not a JSON-RPC reply.
        public static var invalidReply: Self { Self(.invalidReply) }
        /// The daemon did not reply within the caller's timeout.
        public static var timeout: Self { Self(.timeout) }
    }
}

extension RPCServerError: CustomStringConvertible {
    public var description: String {
        "\(code): \(message)"
    }
}
