import JSONRPC

extension RPCServer {
    /// Settings of the RPC server; the defaults are the contract's safe limits.
    public struct Configuration: Sendable {
        /// Where the Unix domain socket is created; its directory must exist.
        public var socketPath: String
        /// The socket file's permission bits.
        public var socketPermissions: UInt32
        /// The group given to the socket file, if any (so a group of users may connect).
        public var socketGroupID: UInt32?
        /// The longest line (request or batch) accepted, in bytes without the `\n`.
        /// A longer line is answered with `request_too_large` and the connection is closed.
        public var maxLineBytes: Int
        /// The most requests one batch may hold; a larger batch gets one `batch_too_large` error.
        public var maxBatch: Int
        /// The most requests (batch elements included) running at once on one connection;
        /// requests past it get `overloaded`.
        public var maxInFlightPerConnection: Int
        /// The most requests running in tasks at once across all connections; requests past it get
        /// `overloaded`. Requests answered at once on the event loop do not count.
        public var maxInFlight: Int
        /// The most open connections; past it a new connection gets `too_many_connections` and is closed.
        public var maxConnections: Int
        /// Of ``maxConnections``, how many only privileged peers (``PeerAdmission/privileged``) may use, so that
        /// other roles filling the rest never lock an administrator out (at most half of ``maxConnections``).
        public var reservedConnections: Int
        /// How long a connection may stay with nothing received, nothing in flight and no subscription.
        public var idleTimeout: Duration
        /// How long one request line may take to arrive, from its first byte to its `\n`: a client trickling
        /// bytes is never idle, but is closed (`idle_timeout` with `request_timeout_s`) past this bound.
        public var requestTimeout: Duration
        /// How long in-flight requests may run once graceful shutdown begins.
        public var shutdownGracePeriod: Duration
        /// The `retry_after_s` sent with `overloaded`.
        public var overloadedRetryAfter: Duration
        /// Bounds on the JSON of each request line.
        public var jsonLimits: JSONParseLimits

        /// Creates a configuration with the default limits.
        public init(
            socketPath: String,
            socketPermissions: UInt32 = 0o660,
            socketGroupID: UInt32? = nil,
            maxLineBytes: Int = 1 << 20,
            maxBatch: Int = 100,
            maxInFlightPerConnection: Int = 64,
            maxInFlight: Int = 1024,
            maxConnections: Int = 1024,
            reservedConnections: Int = 16,
            idleTimeout: Duration = .seconds(300),
            requestTimeout: Duration = .seconds(30),
            shutdownGracePeriod: Duration = .seconds(10),
            overloadedRetryAfter: Duration = .seconds(1),
            jsonLimits: JSONParseLimits = .default
        ) {
            self.socketPath = socketPath
            self.socketPermissions = socketPermissions
            self.socketGroupID = socketGroupID
            self.maxLineBytes = maxLineBytes
            self.maxBatch = maxBatch
            self.maxInFlightPerConnection = maxInFlightPerConnection
            self.maxInFlight = maxInFlight
            self.maxConnections = maxConnections
            self.reservedConnections = reservedConnections
            self.idleTimeout = idleTimeout
            self.requestTimeout = requestTimeout
            self.shutdownGracePeriod = shutdownGracePeriod
            self.overloadedRetryAfter = overloadedRetryAfter
            self.jsonLimits = jsonLimits
        }

        /// The slots actually kept for privileged peers: ``reservedConnections``, at most half of the limit.
        var effectiveReserve: Int { max(0, min(reservedConnections, maxConnections / 2)) }
    }
}
