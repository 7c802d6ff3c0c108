import ArgumentParser
import Foundation
import JSONRPC

/// `t4gctl call METHOD [PARAMS]`: any method with JSON params.
struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Call any RPC method with a JSON object of params.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The method, e.g. daemon.info.") var method: String
    @Argument(help: "Params as a JSON object, e.g. '{\"limit\": 5}'.") var params: String = "{}"

    func run() async throws {
        guard let parsed = try? JSONValue.parse(Array(params.utf8)), let object = parsed.objectValue else {
            CommandOutput.printError(
                reason: "invalid_params", message: "params must be a JSON object", asJSON: connection.json)
            throw ExitCode(ExitCodes.invalidInput)
        }
        try await connection.run(method, object)
    }
}

/// `t4gctl info`.
struct Info: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Daemon version, network, backend, identity, uptime.")
    @OptionGroup var connection: ConnectionOptions
    func run() async throws { try await connection.run("daemon.info") }
}

/// `t4gctl health`.
struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Health of the daemon, its store and its backend.")
    @OptionGroup var connection: ConnectionOptions
    func run() async throws { try await connection.run("daemon.health") }
}

/// `t4gctl stop`.
struct Stop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop the daemon gracefully.")
    @OptionGroup var connection: ConnectionOptions
    func run() async throws { try await connection.run("daemon.stop") }
}

/// `t4gctl node info|channels`.
struct Node: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The backend's Lightning node.", subcommands: [NodeInfo.self, NodeChannels.self])

    struct NodeInfo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info", abstract: "Node pubkey, alias, sync state.")
        @OptionGroup var connection: ConnectionOptions
        func run() async throws { try await connection.run("node.info") }
    }

    struct NodeChannels: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "channels", abstract: "The node's channels.")
        @OptionGroup var connection: ConnectionOptions
        func run() async throws { try await connection.run("node.channels") }
    }
}

/// `t4gctl balance`.
struct Balance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Spendable balance, also in a currency (an estimate).")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Also show the balance in this currency at the current rate: EUR.") var currency: String?
    func run() async throws {
        try await connection.run("wallet.balance", currency.map { ["currency": .string($0)] } ?? [:])
    }
}

/// `t4gctl rates`.
struct Rates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exchange rates in use, with every source's quote and age (rates.get).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "An ISO 4217 code (EUR); every quoted currency without it.") var currency: String?
    func run() async throws {
        try await connection.run("rates.get", currency.map { ["currency": .string($0)] } ?? [:])
    }
}

/// `t4gctl transactions`.
struct Transactions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Money in and out, newest first, with the totals of the range.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var page: PageOptions
    @OptionGroup var range: TimeRangeOptions
    @Option(help: "in: money in only; out: money out only.") var direction: String?
    @OptionGroup var account: AccountFilterOption

    func run() async throws {
        var params = page.params
        range.add(to: &params)
        account.add(to: &params)
        if let direction { params["direction"] = .string(direction) }
        try await connection.run("wallet.transactions", params)
    }
}

/// `--from` and `--to` of history commands.
struct TimeRangeOptions: ParsableArguments {
    // .unconditional: a relative time (-24h) is the option's value, not a flag.
    @Option(parsing: .unconditional, help: "Earliest time: 2026-12-01, '2026-12-01 10:00', -24h or Unix seconds.")
    var from: TimeArgument?
    @Option(parsing: .unconditional, help: "Latest time: '2026-12-01 10:00:00 +01:00', -1h or Unix seconds.")
    var to: TimeArgument?

    /// Adds `from` and `to` (Unix seconds) to `params` when given.
    func add(to params: inout JSONObject) {
        if let from { params["from"] = .integer(from.unixSeconds) }
        if let to { params["to"] = .integer(to.unixSeconds) }
    }
}

/// `--limit` and `--cursor` of list commands.
struct PageOptions: ParsableArguments {
    @Option(help: "Page size (1-1000).") var limit: Int64?
    @Option(help: "The next_cursor of the previous page.") var cursor: String?

    var params: JSONObject {
        var params = JSONObject()
        if let limit { params["limit"] = .integer(limit) }
        if let cursor { params["cursor"] = .string(cursor) }
        return params
    }
}

/// `--account` of the lists that filter by account.
struct AccountFilterOption: ParsableArguments {
    @Option(help: "Only what belongs to this account (user:42, @treasury); without it, the whole node.")
    var account: String?

    /// Adds `account` to `params` when given.
    func add(to params: inout JSONObject) {
        if let account { params["account"] = .string(account) }
    }
}

/// `t4gctl events [--since N] [--account ID] [--follow]`.
struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The durable event log; --follow streams new events.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Show events after this index.") var since: Int64 = 0
    @Flag(help: "Keep the connection open and print events as they happen.") var follow = false
    @OptionGroup var account: AccountFilterOption

    func run() async throws {
        var params: JSONObject = ["since": .integer(since)]
        account.add(to: &params)
        guard follow else {
            params["limit"] = 1000
            try await connection.run("events.list", params)
            return
        }
        let client = try await connection.connect()
        _ = try await client.call("events.subscribe", params: params)
        for await notification in client.notifications where notification.method == "event" {
            connection.print(.object(notification.params))
            if !connection.json { print("") }
            // stdout is block-buffered when it is not a terminal: a pipe (`| jq`, a log shipper) sees each
            // event as it happens only when it is flushed.
            fflush(nil)
        }
        CommandOutput.printError(
            reason: "connection_closed", message: "the daemon closed the stream", asJSON: connection.json)
        throw ExitCode(ExitCodes.unreachable)
    }
}
