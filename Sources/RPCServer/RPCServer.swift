import CoreMetrics
import JSONRPC
import Logging
import NIOCore
import NIOPosix
import RPCWire
import ServiceLifecycle

/// The JSON-RPC 2.0 server on a Unix domain socket, one JSON text per line.
///
/// Run it in a `ServiceGroup`. `run()` binds the socket (replacing a stale one, refusing a live
/// one), then follows each connection in a child task of a discarding task group, which returns once the
/// connection has closed and its requests have finished. On graceful
/// shutdown it stops accepting, answers new requests with `shutting_down`, lets requests in flight
/// finish within ``Configuration/shutdownGracePeriod``, closes every connection, removes the
/// socket file and returns.
public actor RPCServer: Service {
    private enum State {
        case initial
        case starting
        case listening(connections: [ObjectIdentifier: any Channel])
        case draining(connections: [ObjectIdentifier: any Channel])
        case stopped(RPCServerError?)
    }

    /// A connection accepted and set up on its event loop, waiting to be served or refused.
    private struct AcceptedConnection: Sendable {
        let channel: any Channel
        let peer: PeerCredentials
        /// Succeeds once the channel has closed and every request task has finished.
        let finished: EventLoopFuture<Void>
        let logger: Logger

        /// Lets the connection read requests; returns once it has closed and its requests have finished.
        func serve() async {
            logger.debug("rpc connection opened")
            channel.triggerUserOutboundEvent(ConnectionEvent.accept, promise: nil)
            await waitUntilFinished()
            logger.debug("rpc connection closed")
        }

        /// Refuses the connection with `notice` and waits until it is closed.
        func refuse(_ notice: ConnectionStateMachine.CloseNotice) async {
            channel.triggerUserOutboundEvent(ConnectionEvent.refuse(notice), promise: nil)
            await waitUntilFinished()
        }

        /// Waits for ``finished``; closes the channel if the waiting task is cancelled.
        private func waitUntilFinished() async {
            await withTaskCancellationHandler {
                try? await finished.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        }
    }

    /// The server's settings.
    public nonisolated let configuration: Configuration
    private nonisolated let service: any RPCService
    private nonisolated let logger: Logger
    private nonisolated let eventLoopGroup: any EventLoopGroup
    private nonisolated let openConnections: Meter
    private var state = State.initial
    private var listeningWaiters: [CheckedContinuation<Void, any Error>] = []

    /// Creates a server that hands every admitted request to `service`.
    ///
    /// - Parameters:
    ///   - configuration: socket path, permissions and limits.
    ///   - service: the method dispatch.
    ///   - logger: gets one debug line per request and per connection; never request params.
    ///   - metricsFactory: receives the `t4gd_rpc_open_connections` gauge.
    ///   - eventLoopGroup: the NIO event loops for the socket.
    public init(
        configuration: Configuration,
        service: some RPCService,
        logger: Logger,
        metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.service = service
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        openConnections = Meter(label: "t4gd_rpc_open_connections", factory: metricsFactory)
    }

    /// Returns once the socket accepts connections.
    ///
    /// - Throws: ``RPCServerError`` if binding failed or the server stopped first.
    public func waitUntilListening() async throws {
        switch state {
        case .listening:
            return
        case .draining:
            throw RPCServerError(.notListening, "the server is shutting down")
        case .stopped(let failure):
            throw failure ?? RPCServerError(.notListening, "the server has stopped")
        case .initial, .starting:
            try await withCheckedThrowingContinuation { listeningWaiters.append($0) }
        }
    }

    /// Binds the socket and serves until graceful shutdown (or cancellation).
    ///
    /// - Throws: ``RPCServerError``: `socketInUse` if another process listens on the path,
    ///   `invalidSocketPath` or `socketSetupFailed` if the socket cannot be set up, `alreadyStarted`
    ///   on a second call; or the error that stopped the listening socket.
    public func run() async throws {
        guard case .initial = state else {
            throw RPCServerError(.alreadyStarted, "run() was already called on this server")
        }
        state = .starting
        var socketFile = SocketFile(path: configuration.socketPath)
        let listener: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            try socketFile.prepare()
            listener = try await bind()
            do {
                try socketFile.claim(permissions: configuration.socketPermissions, groupID: configuration.socketGroupID)
            } catch {
                try? await listener.channel.close()
                throw error
            }
        } catch {
            let failure =
                error as? RPCServerError
                ?? RPCServerError(.socketSetupFailed, "cannot listen on \(configuration.socketPath): \(error)")
            stop(failure)
            throw failure
        }
        state = .listening(connections: [:])
        for waiter in listeningWaiters {
            waiter.resume()
        }
        listeningWaiters = []
        logger.info("rpc server listening", metadata: ["socket": "\(configuration.socketPath)"])

        let listenerChannel = listener.channel
        var acceptFailure: (any Error)?
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                do {
                    try await listener.executeThenClose { inbound in
                        for try await accepted in inbound {
                            serve(accepted, in: &group)
                        }
                    }
                } catch is CancellationError {
                    // Cancelled rather than shut down gracefully: connections are cancelled too.
                } catch {
                    acceptFailure = error
                }
                beginDraining()
            }
        } onGracefulShutdown: {
            listenerChannel.close(promise: nil)
        }
        socketFile.remove()
        stop(nil)
        if let acceptFailure {
            logger.error("rpc server stopped accepting connections", metadata: ["error": "\(acceptFailure)"])
            throw acceptFailure
        }
        logger.info("rpc server stopped")
    }

    private nonisolated func bind() async throws -> NIOAsyncChannel<AcceptedConnection, Never> {
        let configuration = self.configuration
        let service = self.service
        let logger = self.logger
        let budget = InFlightBudget(limit: configuration.maxInFlight)
        return try await ServerBootstrap(group: eventLoopGroup)
            // A deep kernel queue (Linux caps it at net.core.somaxconn, 4096 by default), so a burst of
            // connections (or a client opening and dropping thousands) does not make connect() fail for others.
            .serverChannelOption(ChannelOptions.backlog, value: 4096)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .bind(unixDomainSocketPath: configuration.socketPath) { channel in
                let accepted = PeerCredentials.read(from: channel).flatMapThrowing { peer in
                    let connectionID = String(RequestID.make().prefix(8))
                    var logger = logger
                    logger[metadataKey: "connection_id"] = "\(connectionID)"
                    logger[metadataKey: "peer_uid"] = "\(peer.uid)"
                    logger[metadataKey: "peer_pid"] = "\(peer.pid)"
                    let session = ConnectionSession(
                        id: connectionID, peer: peer, service: service, logger: logger, budget: budget)
                    let finished = try RPCConnectionHandler.install(
                        on: channel, configuration: configuration, session: session)
                    return AcceptedConnection(channel: channel, peer: peer, finished: finished, logger: logger)
                }
                accepted.whenFailure { error in
                    logger.warning("rpc connection dropped", metadata: ["error": "\(error)"])
                }
                return accepted
            }
    }

    /// Starts serving `accepted` in `group`, or refuses it: a peer the service admits to nothing at once, one
    /// past ``Configuration/maxConnections`` (less the reserved slots unless it is privileged).
    private func serve(_ accepted: AcceptedConnection, in group: inout DiscardingTaskGroup) {
        guard case .listening(var connections) = state else {
            group.addTask { await accepted.refuse(.shuttingDown) }
            return
        }
        let admission = service.admission(of: accepted.peer)
        guard admission != .refused else {
            accepted.logger.info("rpc connection refused", metadata: ["reason": "unauthorized"])
            group.addTask { await accepted.refuse(.unauthorized) }
            return
        }
        let limit =
            admission == .privileged
            ? configuration.maxConnections : configuration.maxConnections - configuration.effectiveReserve
        guard connections.count < limit else {
            logger.warning(
                "rpc connection refused",
                metadata: ["reason": "too_many_connections", "max_connections": "\(configuration.maxConnections)"]
            )
            group.addTask { await accepted.refuse(.tooManyConnections) }
            return
        }
        let key = ObjectIdentifier(accepted.channel)
        connections[key] = accepted.channel
        state = .listening(connections: connections)
        openConnections.set(connections.count)
        group.addTask {
            await accepted.serve()
            await self.connectionEnded(key)
        }
    }

    private func connectionEnded(_ key: ObjectIdentifier) {
        switch state {
        case .listening(var connections):
            connections[key] = nil
            state = .listening(connections: connections)
            openConnections.set(connections.count)
        case .draining(var connections):
            connections[key] = nil
            state = .draining(connections: connections)
            openConnections.set(connections.count)
        case .initial, .starting, .stopped:
            break
        }
    }

    /// Tells every open connection that shutdown began.
    private func beginDraining() {
        guard case .listening(let connections) = state else { return }
        state = .draining(connections: connections)
        logger.info("rpc server shutting down", metadata: ["open_connections": "\(connections.count)"])
        for channel in connections.values {
            channel.triggerUserOutboundEvent(ConnectionEvent.beginShutdown, promise: nil)
        }
    }

    private func stop(_ failure: RPCServerError?) {
        state = .stopped(failure)
        let error = failure ?? RPCServerError(.notListening, "the server has stopped")
        for waiter in listeningWaiters {
            waiter.resume(throwing: error)
        }
        listeningWaiters = []
    }
}
