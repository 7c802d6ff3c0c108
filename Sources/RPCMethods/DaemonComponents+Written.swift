import JSONRPC
import Wallet

extension DaemonComponents {
    /// The answer of a write method: the stored object's fields and `replayed`.
    static func written<Value>(_ outcome: WriteOutcome<Value>, _ payload: (Value) -> JSONObject) -> JSONValue {
        var object = payload(outcome.value)
        object["replayed"] = .bool(outcome.replayed)
        return .object(object)
    }
}
