import JSONRPC

/// A failure of a daemon operation, named by the RPC error reason it becomes at the RPC boundary
/// (`RPCErrorMapping`). The message is for humans and never holds a secret.
package struct DaemonError: Error, Sendable, CustomStringConvertible {
    /// The RPC error reason name, e.g. `label_conflict` (see docs/rpc-errors.md).
    package let reason: String
    /// A sentence for the caller.
    package let message: String
    /// Extra machine-readable fields for the error's `data` (e.g. `cause`, `retry_after_s`, `payment`).
    package let data: JSONObject

    /// Creates an error.
    package init(_ reason: String, _ message: String, data: JSONObject = JSONObject()) {
        self.reason = reason
        self.message = message
        self.data = data
    }

    package var description: String { "\(reason): \(message)" }

    /// `invalid_params` with `message`.
    package static func invalidParams(_ message: String) -> DaemonError { DaemonError("invalid_params", message) }
}
