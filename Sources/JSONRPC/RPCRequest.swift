/// A JSON-RPC 2.0 call with named parameters; without an ``id`` it is a notification.
public struct RPCRequest: Hashable, Sendable {
    /// The id the reply must carry; `nil` for a notification, which gets no reply.
    public var id: RPCID?
    /// The method name, for example `invoice.create`.
    public var method: String
    /// The named parameters; empty when the request had none.
    public var params: JSONObject

    /// Creates a request; pass `id: nil` for a notification.
    public init(id: RPCID?, method: String, params: JSONObject = [:]) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// Whether this is a notification (no id, no reply).
    public var isNotification: Bool { id == nil }

    /// The wire form: `{"jsonrpc":"2.0","method":...,"params":{...},"id":...}` (no `id` for a notification).
    public var json: JSONValue {
        var object: JSONObject = ["jsonrpc": "2.0", "method": .string(method), "params": .object(params)]
        if let id {
            object["id"] = id.json
        }
        return .object(object)
    }
}
