import JSONRPC

/// What the server calls for every admitted request: the daemon's method dispatch.
///
/// Requests on one connection run concurrently, each in a task of its own. A handler's task is
/// cancelled when its connection closes (the client went away, or shutdown's grace period ended),
/// so work that must outlive the call (a payment) belongs in a service of its own. Notifications
/// run like requests, but their result or error is only logged.
///
/// A request whose method never waits may instead be answered at once, on the connection's event loop,
/// through ``handleImmediately(_:context:)``: no task is made for it, and its reply leaves with the
/// others read in the same pass.
public protocol RPCService: Sendable {
    /// Runs one request and returns its `result`.
    ///
    /// - Throws: the ``RPCError`` to send back; the server adds `data.request_id`. Map unexpected
    ///   failures to `RPCError(.internalError)` after logging their details with `context.logger`.
    func handle(_ request: RPCRequest, context: RPCRequestContext) async throws(RPCError) -> JSONValue

    /// Whether `request`'s method never suspends and takes no longer than a short read of local state, so
    /// that ``handleImmediately(_:context:)`` answers it. Such requests do not count against the
    /// connection's in-flight limit: they are finished before the next one is read.
    func answersImmediately(_ request: RPCRequest) -> Bool

    /// Runs a request that ``answersImmediately(_:)`` accepted and returns its outcome as
    /// ``handle(_:context:)`` would; `nil` to have it run in a task after all.
    ///
    /// It runs on the connection's event loop: whatever it does delays every connection of that loop.
    func handleImmediately(_ request: RPCRequest, context: RPCRequestContext) -> Result<JSONValue, RPCError>?

    /// Whether `peer` may connect at all, and whether it may use the connection slots kept for privileged
    /// peers. A refused peer gets `unauthorized` (id null) at connect and is closed at once, so a caller refused
    /// everything never holds a slot.
    func admission(of peer: PeerCredentials) -> PeerAdmission
}

/// What a peer may do with connection slots (``RPCService/admission(of:)``).
public enum PeerAdmission: Sendable, Equatable {
    /// May call nothing: refused at connect.
    case refused
    /// May use the slots below ``RPCServer/Configuration/reservedConnections``.
    case admitted
    /// May also use the reserved slots (an administrator).
    case privileged
}

extension RPCService {
    /// No request is answered at once: every request gets a task.
    public func answersImmediately(_ request: RPCRequest) -> Bool { false }

    /// Every peer may connect, to any slot; each call is checked on its own.
    public func admission(of peer: PeerCredentials) -> PeerAdmission { .privileged }

    /// Never called, as ``answersImmediately(_:)`` accepts nothing.
    public func handleImmediately(_ request: RPCRequest, context: RPCRequestContext) -> Result<JSONValue, RPCError>? {
        nil
    }
}
