import ArgumentParser
import Foundation
import JSONRPC
import RPCClient

/// `t4gctl status`: the daemon on one screen.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One screen: version, network, backend and health, store, reconciliation, balance, open "
            + "invoices, pending payments and the last events.",
        discussion: """
            Each part comes from its own read-only call (daemon.info, daemon.health, wallet.balance, \
            invoice.list, payment.list, events.list); a part that fails shows its error and the rest still \
            shows. Open invoices and pending payments are counted up to 1000 (then shown as 1000+).
            """)
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "How many of the last events to show.") var events = 5

    func run() async throws {
        let client = try await connection.connect()
        defer { Task { await client.close() } }
        let reader = StatusReader(client: client)
        let snapshot = await reader.snapshot(lastEvents: max(0, events))
        if connection.json {
            print(String(decoding: JSONValue.object(snapshot).serialized(), as: UTF8.self))
        } else {
            for line in StatusScreen(snapshot: snapshot, output: .forStandardOutput()).lines { print(line) }
        }
    }
}

/// Reads the parts of `t4gctl status` from the daemon.
struct StatusReader {
    /// How many open invoices and pending payments are counted at most.
    static let countLimit: Int64 = 1000
    let client: RPCClient

    /// `info`, `health`, `balance`, `open_invoices`, `pending_payments` (each `{count, more, amount_msat}`)
    /// and `last_events`; a part whose call failed is `{"error": {reason, message}}`.
    func snapshot(lastEvents: Int) async -> JSONObject {
        [
            "info": await part("daemon.info"),
            "health": await part("daemon.health"),
            "balance": await part("wallet.balance"),
            "open_invoices": summary(
                await part("invoice.list", ["status": "open", "limit": .integer(Self.countLimit)])),
            "pending_payments": summary(
                await part("payment.list", ["status": "pending", "limit": .integer(Self.countLimit)])),
            "last_events": await last(lastEvents),
        ]
    }

    private func part(_ method: String, _ params: JSONObject = [:]) async -> JSONValue {
        do {
            return try await client.call(method, params: params)
        } catch let error as RPCError {
            return ["error": ["reason": .string(error.reason.name), "message": .string(error.message)]]
        } catch {
            return ["error": ["reason": "connection_failed", "message": .string("\(error)")]]
        }
    }

    /// `{count, more, amount_msat}` of a page of a list, or the page's error.
    private func summary(_ page: JSONValue) -> JSONValue {
        guard let items = page["items"]?.arrayValue else { return page }
        let total = items.reduce(Int64(0)) { sum, item in
            sum.addingReportingOverflow(item["amount_msat"]?.int64Value ?? 0).partialValue
        }
        return [
            "count": .integer(Int64(items.count)), "more": .bool(page["next_cursor"]?.stringValue != nil),
            "amount_msat": .integer(total),
        ]
    }

    /// The last `count` events: the latest index is found by galloping then bisecting over `events.list`
    /// (an event after `since` exists or not), a few dozen calls at most whatever the log's size.
    private func last(_ count: Int) async -> JSONValue {
        guard count > 0 else { return [] }
        func exists(after index: Int64) async -> Bool? {
            let page = await part("events.list", ["since": .integer(index), "limit": 1])
            return page.arrayValue.map { !$0.isEmpty }
        }
        var low: Int64 = 0  // an event after low exists (or low is 0)
        var high: Int64 = 1  // no event after high
        while let found = await exists(after: high) {
            guard found else { break }
            low = high
            guard high < Int64.max / 2 else { return await part("events.list", ["since": .integer(high)]) }
            high *= 2
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            guard let found = await exists(after: middle) else { break }
            if found { low = middle } else { high = middle }
        }
        // The latest index is `high` when an event after `low` exists.
        let since = max(0, high - Int64(count))
        return await part("events.list", ["since": .integer(since), "limit": .integer(Int64(count))])
    }
}
