import JSONRPC

/// A failure of a daemon operation, named by the catalogue reason it becomes on the wire. `DaemonRPCService`
/// turns it into an `RPCError` in one place (`DaemonRPCService.rpcError`).
///
/// As postgres-nio's `PSQLError` does, the error keeps what caused it (``underlying``) for the log, but its
/// ``description`` only names the reason and the caller's message; ``debugDescription`` adds the cause and the
/// names of the `data` fields. Neither holds a secret: messages never carry one, `data` values are left out,
/// and underlying errors (backend, rate, store) redact their own.
package struct DaemonError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The catalogue entry this error becomes (see docs/rpc-errors.md).
    package let reason: RPCErrorReason
    /// A sentence for the caller.
    package let message: String
    /// Extra machine-readable fields for the error's `data` (e.g. `cause`, `retry_after_s`, `payment`).
    package let data: JSONObject
    /// The failure this error reports, if another error caused it; for the log only, never sent.
    package let underlying: (any Error)?

    /// Creates an error of `reason` with a message for the caller.
    package init(_ reason: RPCErrorReason, _ message: String, data: JSONObject = [:], underlying: (any Error)? = nil) {
        self.reason = reason
        self.message = message
        self.data = data
        self.underlying = underlying
    }

    /// This error with `data` extended by `fields` (a field already present is replaced).
    func adding(_ fields: JSONObject) -> DaemonError {
        var data = data
        for (key, value) in fields { data[key] = value }
        return DaemonError(reason, message, data: data, underlying: underlying)
    }

    /// The reason and the caller's message.
    package var description: String { "\(reason.name): \(message)" }

    /// The reason with its code, the message, the names of the `data` fields and the underlying error.
    package var debugDescription: String {
        var text = "DaemonError(\(reason.name) \(reason.code): \(message)"
        if !data.isEmpty { text += "; data: \(data.keys.sorted().joined(separator: ", "))" }
        if let underlying { text += "; underlying: \(String(reflecting: underlying))" }
        return text + ")"
    }

    /// `invalid_params` with a message that names the parameter.
    package static func invalidParams(_ message: String, underlying: (any Error)? = nil) -> DaemonError {
        DaemonError(.invalidParams, message, underlying: underlying)
    }
}
