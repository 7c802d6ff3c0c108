import JSONRPC

/// What the server calls for every admitted request: the daemon's method dispatch.
///
/// Requests on one connection run concurrently, each in a task of its own. A handler's task is
/// cancelled when its connection closes (the client went away, or shutdown's grace period ended),
/// so work that must outlive the call (a payment) belongs in a service of its own. Notifications
/// run like requests, but their result or error is only logged.
public protocol RPCService: Sendable {
    /// Runs one request and returns its `result`.
    ///
    /// - Throws: the ``RPCError`` to send back; the server adds `data.request_id`. Map unexpected
    ///   failures to `RPCError(.internalError)` after logging their details with `context.logger`.
    func handle(_ request: RPCRequest, context: RPCRequestContext) async throws(RPCError) -> JSONValue
}
