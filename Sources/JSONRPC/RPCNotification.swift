/// A server-to-client notification, such as the `event` pushes of `events.subscribe`.
public struct RPCNotification: Hashable, Sendable {
    /// The notification's method name, for example `event`.
    public var method: String
    /// The notification's named parameters.
    public var params: JSONObject

    /// Creates a notification.
    public init(method: String, params: JSONObject = [:]) {
        self.method = method
        self.params = params
    }

    /// Reads a notification: an object with `"jsonrpc":"2.0"`, a string `method`, no `id`, and object or absent `params`.
    public init?(json: JSONValue) {
        guard case .object(let object) = json,
            object["jsonrpc"] == "2.0",
            object["id"] == nil,
            case .string(let method) = object["method"]
        else { return nil }
        switch object["params"] {
        case nil: self.init(method: method)
        case .object(let params)?: self.init(method: method, params: params)
        default: return nil
        }
    }

    /// The wire form: `{"jsonrpc":"2.0","method":...,"params":{...}}`.
    public var json: JSONValue {
        ["jsonrpc": "2.0", "method": .string(method), "params": .object(params)]
    }
}
