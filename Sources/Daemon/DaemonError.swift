import JSONRPC

/// A failure of a daemon operation, named by the RPC error reason it becomes at the RPC boundary
/// (`RPCErrorMapping`). The message is for humans and never holds a secret.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    /// The RPC error reason name, e.g. `label_conflict` (see docs/rpc-errors.md).
    public let reason: String
    /// A sentence for the caller.
    public let message: String
    /// Extra machine-readable fields for the error's `data` (e.g. `cause`, `retry_after_s`, `payment`).
    public let data: JSONObject

    /// Creates an error.
    public init(_ reason: String, _ message: String, data: JSONObject = JSONObject()) {
        self.reason = reason
        self.message = message
        self.data = data
    }

    public var description: String { "\(reason): \(message)" }

    static func invalidParams(_ message: String) -> DaemonError { DaemonError("invalid_params", message) }
}
