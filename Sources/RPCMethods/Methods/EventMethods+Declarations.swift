import JSONRPC

extension RPCMethod.Declaration {
    private static let since = RPCParam.optional("since", .integer(0...Int64.max), "last index seen; default 0")
    private static let limit = RPCParam.optional("limit", .pageSize, "at most this many, default 100")

    static let eventsList = Self(
        "events.list", role: .readonly, summary: "Events of the durable log after `since`, oldest first.",
        params: [since, limit], result: Schema.array(Schema.ref("event")),
        example: ["since": 41, "limit": 100]
    )

    static let eventsWait = Self(
        "events.wait", role: .readonly,
        summary: "Like events.list, but waits until an event after `since` exists or timeout_s passes.",
        params: [since, limit, .optional("timeout_s", .integer(0...86_400), "default 60")],
        result: Schema.array(Schema.ref("event")),
        example: ["since": 41, "timeout_s": 30]
    )

    static let eventsSubscribe = Self(
        "events.subscribe", role: .readonly,
        summary: "Push every event after `since` on this connection as `event` notifications.",
        params: [since], result: Schema.object([("since", Schema.integer(0, Int64.max))]),
        example: ["since": 41]
    )
}
