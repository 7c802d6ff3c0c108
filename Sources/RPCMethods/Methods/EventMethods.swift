import JSONRPC
import RPCServer
import Store
import Wallet

extension DaemonComponents {
    var eventMethods: [RPCMethod] {
        let since = RPCMethod.Param.optional("since", Schema.integer(0, Int64.max), "last index seen; default 0")
        let limit = RPCMethod.Param.optional("limit", Schema.integer(1, 1000), "at most this many, default 100")
        return [
            RPCMethod(
                "events.list", role: .readonly, summary: "Events of the durable log after `since`, oldest first.",
                params: [since, limit], result: Schema.array(Schema.ref("event"))
            ) { params, _ in
                let after = try params.integer("since", in: 0...Int64.max) ?? 0
                return .array(try await store.events(after: after, limit: try params.limit()).map(EventPayloads.event))
            },
            RPCMethod(
                "events.wait", role: .readonly,
                summary: "Like events.list, but waits until an event after `since` exists or timeout_s passes.",
                params: [since, limit, .optional("timeout_s", Schema.integer(0, 86_400), "default 60")],
                result: Schema.array(Schema.ref("event"))
            ) { params, _ in
                let after = try params.integer("since", in: 0...Int64.max) ?? 0
                let limit = try params.limit()
                let deadline = ContinuousClock.now + (try params.timeout(default: 60))
                while true {
                    let seen = await events.latest
                    let found = try await store.events(after: after, limit: limit)
                    let remaining = deadline - ContinuousClock.now
                    if !found.isEmpty || remaining <= .zero { return .array(found.map(EventPayloads.event)) }
                    _ = await events.wait(after: max(seen, after), timeout: remaining)
                    try Task.checkCancellation()
                }
            },
            RPCMethod(
                "events.subscribe", role: .readonly,
                summary: "Push every event after `since` on this connection as `event` notifications.",
                params: [since], result: Schema.object([("since", Schema.integer(0, Int64.max))])
            ) { params, call in
                let after = try params.integer("since", in: 0...Int64.max) ?? 0
                let connection = call.context.connection
                connection.beginStreaming()
                Task { [self] in await stream(after: after, to: connection, call: call) }
                return ["since": .integer(after)]
            },
        ]
    }

    /// Sends events to a subscriber until its connection closes, reading the store after the last index sent.
    private func stream(after index: Int64, to connection: RPCConnection, call: RPCMethod.Call) async {
        var last = index
        while !connection.isClosed {
            do {
                let seen = await events.latest
                let batch = try await store.events(after: last, limit: 500)
                for event in batch {
                    try await connection.send(
                        RPCNotification(method: "event", params: EventPayloads.event(event).objectValue!))
                    last = event.index
                }
                if batch.isEmpty { _ = await events.wait(after: max(seen, last), timeout: .seconds(5)) }
            } catch {
                call.logger.debug("event subscription ended", metadata: ["error": "\(error)"])
                return
            }
        }
    }
}
