import JSONRPC

/// One parameter of a method, declared once: its name, the values it takes (``Kind``), whether it is required
/// and what it means. The same declaration checks a request's value (`Params`) and is published as the
/// parameter's JSON Schema (`rpc.discover`, docs/api.md), so the two cannot disagree.
struct RPCParam: Sendable {
    /// The name a request uses.
    let name: String
    /// The values it takes.
    let kind: Kind
    /// Whether a request must give it (a `null` counts as not given).
    let required: Bool
    /// What it means, for the published documentation.
    let summary: String

    /// An optional parameter.
    static func optional(_ name: String, _ kind: Kind, _ summary: String) -> Self {
        Self(name: name, kind: kind, required: false, summary: summary)
    }

    /// A required parameter.
    static func required(_ name: String, _ kind: Kind, _ summary: String) -> Self {
        Self(name: name, kind: kind, required: true, summary: summary)
    }

    /// This parameter's JSON Schema.
    var schema: JSONValue { kind.schema }

    /// `limit` and `cursor`, the params of a paged list.
    static let paging: [Self] = [
        .optional("limit", .pageSize, "page size, default 100"),
        .optional("cursor", .text, "next_cursor of the previous page"),
    ]

    /// `account` of a list: only what belongs to this account; absent, everything (the whole node).
    static let accountFilter = Self.optional(
        "account", .ownAccount,
        "only what belongs to this account (the one an invoice credits, a payment debits, an event names); "
            + "absent: everything")
}

extension RPCParam.Kind {
    /// A free text of at most 64 KiB.
    static let text = Self.string(maxLength: 65_536)
    /// A label or an idempotency key.
    static let key = Self.string(maxLength: 256)
    /// 32 bytes in hex: a payment hash, a proof id, an x-only key.
    static let hex32 = Self.hex(bytes: 32)
    /// A BIP340 signature in hex.
    static let signature = Self.hex(bytes: 64)
    /// An amount in millisatoshi: positive, at most 21 million bitcoin.
    static let msat = Self.amount(1...Params.maximumMsat)
    /// An amount in satoshi: positive, at most 21 million bitcoin.
    static let sat = Self.amount(1...(Params.maximumMsat / 1000))
    /// A time in Unix seconds.
    static let unixSeconds = Self.integer(0...Int64.max)
    /// A page size.
    static let pageSize = Self.integer(1...1000)
    /// An account a caller made (`user:42`); system accounts (`@treasury`, `@node`) are refused.
    static let callerAccount = Self.account(system: [])
    /// The account of an invoice or payment: a caller's account or `@treasury` (the default).
    static let ownAccount = Self.account(system: ["@treasury"])
    /// Any account, the system accounts included: what can be read.
    static let anyAccount = Self.account(system: ["@treasury", "@node"])
    /// An owner: `account:<id>` or an x-only public key in hex.
    static let owner = Self.text
}
