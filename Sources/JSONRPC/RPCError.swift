/// A JSON-RPC error as the client sees it: a numeric `code`, a human `message` and machine-readable `data`.
///
/// `data` always holds `reason` (the stable name of ``reason``); the server adds `request_id`,
/// the id that also appears in the daemon log. Reason-specific fields (``RPCErrorReason/dataFields``)
/// go next to them.
public struct RPCError: Error, Hashable, Sendable {
    /// The numeric JSON-RPC code, normally ``RPCErrorReason/code`` of ``reason``.
    public var code: Int
    /// A short human-readable message; never contains secrets.
    public var message: String
    /// The catalog entry this error belongs to.
    public var reason: RPCErrorReason
    /// The `data` member: `reason`, then any details, then `request_id` once the server has set it.
    public var data: JSONObject

    /// Creates an error of `reason`, with its default message unless `message` is given.
    ///
    /// - Parameters:
    ///   - reason: the catalog entry.
    ///   - message: replaces ``RPCErrorReason/message`` when the caller can say more (no secrets).
    ///   - data: details such as `cause` or `failed_rules`; a `reason` key in it is ignored.
    public init(_ reason: RPCErrorReason, message: String? = nil, data: JSONObject = [:]) {
        self.code = reason.code
        self.message = message ?? reason.message
        self.reason = reason
        self.data = ["reason": .string(reason.name)]
        for (key, value) in data where key != "reason" {
            self.data[key] = value
        }
    }

    /// Creates an error that tells the client when to retry, as `data.retry_after_s` (whole seconds, at least 1).
    public init(_ reason: RPCErrorReason, retryAfter: Duration, message: String? = nil, data: JSONObject = [:]) {
        self.init(reason, message: message, data: data)
        let (seconds, attoseconds) = retryAfter.components
        self.data["retry_after_s"] = .integer(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
    }

    /// Reads an error object `{"code":...,"message":...,"data":{...}}` from the wire.
    ///
    /// A `data.reason` the catalog does not know (a newer daemon) keeps its name and code.
    public init?(json: JSONValue) {
        guard case .object(let object) = json,
            let wireCode = object["code"]?.intValue,
            let message = object["message"]?.stringValue
        else { return nil }
        let data = object["data"]?.objectValue ?? [:]
        let name = data["reason"]?.stringValue
        self.code = wireCode
        self.message = message
        self.reason =
            name.flatMap(RPCErrorReason.named)
            ?? RPCErrorReason(unlistedName: name ?? "unknown", code: wireCode, message: message)
        self.data = data
    }

    /// The id the server logged this error under, if set.
    public var requestID: String? { data["request_id"]?.stringValue }

    /// `data.retry_after_s`, if the error carries it.
    public var retryAfterSeconds: Int64? { data["retry_after_s"]?.int64Value }

    /// The wire form: `{"code":...,"message":...,"data":{...}}`.
    public var json: JSONValue {
        ["code": .integer(Int64(code)), "message": .string(message), "data": .object(data)]
    }
}

extension RPCError: CustomStringConvertible {
    public var description: String {
        "\(reason.name) (\(code)): \(message)"
    }
}
