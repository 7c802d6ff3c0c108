import JSONRPC

extension RPCMethod.Declaration {
    private static let since = RPCParam.optional("since", .integer(0...Int64.max), "last index seen; default 0")
    private static let limit = RPCParam.optional("limit", .pageSize, "at most this many, default 100")
    private static let account = RPCParam.optional(
        "account", .ownAccount,
        "only the events naming this account in `data.account` (its invoices, payments, credits and debits); "
            + "absent: every event")

    static let eventsList = Self(
        "events.list", role: .readonly, summary: "Events of the durable log after `since`, oldest first.",
        params: [since, limit, account], result: Schema.array(Schema.ref("event")), errors: [.accountNotFound],
        example: ["since": 41, "limit": 100]
    )

    static let eventsWait = Self(
        "events.wait", role: .readonly,
        summary: "Like events.list, but waits until an event after `since` exists or timeout_s passes.",
        params: [since, limit, .optional("timeout_s", .integer(0...86_400), "default 60"), account],
        result: Schema.array(Schema.ref("event")), errors: [.accountNotFound],
        example: ["since": 41, "timeout_s": 30]
    )

    static let eventsSubscribe = Self(
        "events.subscribe", role: .readonly,
        summary: "Push every event after `since` on this connection as `event` notifications.",
        params: [since, account], result: Schema.object([("since", Schema.integer(0, Int64.max))]),
        errors: [.accountNotFound],
        example: ["since": 41]
    )
}
