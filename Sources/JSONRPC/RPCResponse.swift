/// The reply to one request: a result or an error, with the request's id.
public struct RPCResponse: Hashable, Sendable {
    /// The id of the request this answers; `nil` (JSON `null`) when it could not be read.
    public var id: RPCID?
    /// The result or the error.
    public var outcome: Result<JSONValue, RPCError>

    /// Creates a response with an outcome.
    public init(id: RPCID?, outcome: Result<JSONValue, RPCError>) {
        self.id = id
        self.outcome = outcome
    }

    /// Creates a successful response.
    public init(id: RPCID?, result: JSONValue) {
        self.init(id: id, outcome: .success(result))
    }

    /// Creates an error response.
    public init(id: RPCID?, error: RPCError) {
        self.init(id: id, outcome: .failure(error))
    }

    /// Reads a response: `"jsonrpc":"2.0"`, an `id` (string, integer or null) and exactly one of `result` and `error`.
    public init?(json: JSONValue) {
        guard case .object(let object) = json, object["jsonrpc"] == "2.0", let idValue = object["id"] else {
            return nil
        }
        let id: RPCID?
        if idValue.isNull {
            id = nil
        } else if let parsed = RPCID(json: idValue) {
            id = parsed
        } else {
            return nil
        }
        switch (object["result"], object["error"]) {
        case (let result?, nil):
            self.init(id: id, result: result)
        case (nil, let errorValue?):
            guard let error = RPCError(json: errorValue) else { return nil }
            self.init(id: id, error: error)
        default:
            return nil
        }
    }

    /// The wire form: `{"jsonrpc":"2.0","result":...,"id":...}` or `{"jsonrpc":"2.0","error":{...},"id":...}`.
    public var json: JSONValue {
        var object: JSONObject = ["jsonrpc": "2.0"]
        switch outcome {
        case .success(let result): object["result"] = result
        case .failure(let error): object["error"] = error.json
        }
        object["id"] = id?.json ?? .null
        return .object(object)
    }
}
