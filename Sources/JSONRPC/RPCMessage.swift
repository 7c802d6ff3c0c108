/// Reads JSON-RPC 2.0 request lines (single requests and batches) per the specification.
public enum RPCMessage {
    /// Parses one line received from a client.
    ///
    /// Never fails: every problem becomes an ``RPCEntry/invalid(id:error:)`` the server answers.
    /// Invalid JSON gives one `parse_error` with id null; a batch that is an empty array gives one
    /// `invalid_request` with id null; each element of a non-empty batch is read on its own.
    public static func parse(line: some Collection<UInt8>, limits: JSONParseLimits = .default) -> RPCIncoming {
        let value: JSONValue
        do {
            value = try JSONValue.parse(line, limits: limits)
        } catch {
            let detail = "Parse error: \(error.code) at byte \(error.offset)"
            return .single(.invalid(id: nil, error: RPCError(.parseError, message: detail)))
        }
        guard case .array(let elements) = value else {
            return .single(entry(from: value))
        }
        guard !elements.isEmpty else {
            return .single(.invalid(id: nil, error: RPCError(.invalidRequest, message: "Invalid request: empty batch")))
        }
        return .batch(elements.map(entry(from:)))
    }

    /// Reads one request object.
    ///
    /// The id is echoed whenever it is itself valid, even if the rest of the request is not.
    /// Array `params` are structurally valid JSON-RPC but not supported (named params only), so
    /// they give `invalid_params` rather than `invalid_request`.
    public static func entry(from value: JSONValue) -> RPCEntry {
        guard case .object(let object) = value else {
            return invalid(id: nil, "a request must be an object")
        }
        var id: RPCID?
        if let idValue = object["id"] {
            guard let parsed = RPCID(json: idValue) else {
                return invalid(id: nil, "id must be a string or an integer")
            }
            id = parsed
        }
        guard object["jsonrpc"] == "2.0" else {
            return invalid(id: id, "jsonrpc must be \"2.0\"")
        }
        guard case .string(let method) = object["method"] else {
            return invalid(id: id, "method must be a string")
        }
        switch object["params"] {
        case nil:
            return .request(RPCRequest(id: id, method: method))
        case .object(let params)?:
            return .request(RPCRequest(id: id, method: method, params: params))
        case .array?:
            let error = RPCError(.invalidParams, message: "Invalid params: params must be an object (named parameters)")
            guard let id else { return .invalidNotification(method: method, error: error) }
            return .invalid(id: id, error: error)
        default:
            return invalid(id: id, "params must be an object")
        }
    }

    private static func invalid(id: RPCID?, _ detail: String) -> RPCEntry {
        .invalid(id: id, error: RPCError(.invalidRequest, message: "Invalid request: \(detail)"))
    }
}

/// What one received line holds.
public enum RPCIncoming: Hashable, Sendable {
    /// One request (or one error about the whole line); answered with one response, or nothing for a notification.
    case single(RPCEntry)
    /// A non-empty batch; answered with one array of the responses, or nothing if all are notifications.
    case batch([RPCEntry])
}

/// One element of a received line, after validation.
public enum RPCEntry: Hashable, Sendable {
    /// A valid request or notification.
    case request(RPCRequest)
    /// An invalid request, answered with `error`; `id` is `nil` when it could not be read.
    case invalid(id: RPCID?, error: RPCError)
    /// A notification that cannot be run; notifications are never answered, so this is only logged.
    case invalidNotification(method: String, error: RPCError)
}
