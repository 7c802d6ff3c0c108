import JSONRPC
import Wallet

/// Illustrative values for the examples of the OpenRPC document (and so of docs/api.md): one example request
/// per method, from its declaration, and the shape of its answer, from its result schema.
enum Example {
    /// A time in Unix seconds.
    static let unixTime: Int64 = 1_765_100_000
    /// A regtest invoice of 2,500 sat, as `payment.send` and `invoice.decode` take it.
    static let bolt11 =
        "lnbcrt25u1pn9example0pp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdees"
        + "xqyjw5qcqpjsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9qyyssqexample"

    /// `bytes` bytes in hex.
    static func hex(bytes: Int) -> String {
        String(String(repeating: "c0ffee", count: bytes / 3 + 1).prefix(bytes * 2))
    }

    /// The params of `method`'s example request: its own example, or each required param with an example of
    /// its schema.
    static func params(of method: RPCMethod.Declaration, schemas: JSONObject) -> JSONObject {
        method.example
            ?? JSONObject(
                method.params.filter(\.required).map { ($0.name, value(of: $0.schema, named: $0.name, in: schemas)) })
    }

    /// A value of `schema` for a member called `name`; `$ref`s resolve in `schemas`.
    static func value(of schema: JSONValue, named name: String, in schemas: JSONObject) -> JSONValue {
        if let reference = schema["$ref"]?.stringValue {
            let local = "#/components/schemas/"
            guard reference.hasPrefix(local), let target = schemas[String(reference.dropFirst(local.count))] else {
                return ["openrpc": "1.2.6", "info": ["title": "t4gd"], "methods": []]
            }
            return value(of: target, named: name, in: schemas)
        }
        if let parts = schema["allOf"]?.arrayValue {
            var merged = JSONObject()
            for part in parts {
                for (key, member) in value(of: part, named: name, in: schemas).objectValue ?? [:] {
                    merged[key] = member
                }
            }
            return .object(merged)
        }
        if let first = schema["enum"]?.arrayValue?.first { return first }
        if let first = schema["anyOf"]?.arrayValue?.first { return value(of: first, named: name, in: schemas) }
        let types =
            schema["type"]?.arrayValue?.compactMap(\.stringValue) ?? schema["type"]?.stringValue.map { [$0] } ?? []
        // A nullable member is null unless its name has an example: what a fresh object (an open invoice) holds.
        if types.contains("null"), texts[name] == nil, !name.hasSuffix("_msat") { return .null }
        switch types.first(where: { $0 != "null" }) {
        case "string": return .string(text(named: name, pattern: schema["pattern"]?.stringValue))
        case "integer": return .integer(integer(named: name, minimum: schema["minimum"]?.int64Value))
        case "boolean": return .bool(name != "replayed")
        case "array": return [value(of: schema["items"] ?? [:], named: name, in: schemas)]
        case "object":
            let properties = schema["properties"]?.objectValue ?? [:]
            return .object(JSONObject(properties.map { ($0.key, value(of: $0.value, named: $0.key, in: schemas)) }))
        default: return .null
        }
    }

    private static func text(named name: String, pattern: String?) -> String {
        if let pattern, pattern.hasPrefix("^[0-9a-f"), let open = pattern.lastIndex(of: "{"),
            let digits = Int(pattern[pattern.index(after: open)...].prefix { $0.isNumber })
        {
            return hex(bytes: digits / 2)
        }
        if pattern == Schema.currency["pattern"]?.stringValue { return "EUR" }
        if pattern == AccountBook.callerIDPattern { return accountTexts[name] ?? "user:42" }
        return texts[name] ?? "text"
    }

    /// Example account ids by param name (`from` and `to` of a transfer differ).
    private static let accountTexts = ["to": "user:7"]

    private static let texts: [String: String] = [
        "bolt11": bolt11, "label": "order-42", "description": "coffee", "idempotency_key": "payout-7",
        "kind": "purchase", "owner": "account:alice", "to": "account:bob", "attester": "account:notary",
        "path": "t4gd-2026-12-07.sqlite", "version": "1.0.0", "network": "regtest", "backend": "dev",
        "cursor": "eyJhZnRlciI6NDJ9", "next_cursor": "eyJhZnRlciI6NDJ9", "type": "invoice.paid",
        "owner_account": "account:alice", "process": "t4gd-1", "alias": "t4gd-dev", "wallet_id": "main",
        "wallet_name": "t4gd", "id": "812x1x0", "peer": "02" + hex(bytes: 32), "currency": "EUR",
        "amount": "0.21", "rate": "85012.40",
    ]

    private static func integer(named name: String, minimum: Int64?) -> Int64 {
        if name.hasSuffix("_at") || name == "at" || name == "timestamp" { return unixTime }
        if name.hasSuffix("_msat") { return 250_000 }
        if name.hasSuffix("_sat") { return 250 }
        if name.hasSuffix("_ms") || name.hasSuffix("_ms_ago") { return 12 }
        if name.hasSuffix("_bytes") { return 1_048_576 }
        if name.hasSuffix("_s") { return 3600 }
        if name.hasSuffix("_count") || name.hasSuffix("_instances") { return 1 }
        switch name {
        case "index", "since", "last_event_index": return 42
        case "expiry", "expiry_s": return 3600
        case "timeout_s": return 30
        case "limit": return 100
        default: return max(minimum ?? 0, 0)
        }
    }
}
