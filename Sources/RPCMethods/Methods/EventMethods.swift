import JSONRPC
import RPCServer
import Store
import Wallet

extension DaemonComponents {
    var eventMethods: [RPCMethod] {
        [
            RPCMethod(.eventsList) { params, _ in
                let after = try params.integer("since") ?? 0
                let account = try await listedAccount(params)
                return .array(
                    try await eventRecords(after: after, of: account, limit: try params.limit()).map(
                        EventPayloads.event))
            },
            RPCMethod(.eventsWait) { params, _ in
                let after = try params.integer("since") ?? 0
                let account = try await listedAccount(params)
                let limit = try params.limit()
                let deadline = ContinuousClock.now + (try params.timeout(default: 60))
                while true {
                    let seen = await events.latest
                    let found = try await eventRecords(after: after, of: account, limit: limit)
                    let remaining = deadline - ContinuousClock.now
                    if !found.isEmpty || remaining <= .zero { return .array(found.map(EventPayloads.event)) }
                    _ = await events.wait(after: max(seen, after), timeout: remaining)
                    try Task.checkCancellation()
                }
            },
            RPCMethod(.eventsSubscribe) { params, call in
                let after = try params.integer("since") ?? 0
                let account = try await listedAccount(params)
                let connection = call.context.connection
                connection.beginStreaming()
                Task { [self] in await stream(after: after, of: account, to: connection, call: call) }
                return ["since": .integer(after)]
            },
        ]
    }

    /// Events after `index`, oldest first, at most `limit`: every event, or only those of `account`.
    private func eventRecords(after index: Int64, of account: String?, limit: Int) async throws -> [EventRecord] {
        if let account {
            return try await store.events(after: index, account: account, limit: limit)
        }
        return try await store.events(after: index, limit: limit)
    }

    /// Sends events (every event, or only those of `account`) to a subscriber until its connection closes,
    /// reading the store after the last index sent.
    private func stream(
        after index: Int64, of account: String?, to connection: RPCConnection, call: RPCMethod.Call
    ) async {
        var last = index
        while !connection.isClosed {
            do {
                let seen = await events.latest
                let batch = try await eventRecords(after: last, of: account, limit: 500)
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
