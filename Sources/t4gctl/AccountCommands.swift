import ArgumentParser
import JSONRPC

/// `t4gctl account create|show|list|transfer|statement`: the balances of many users inside one wallet
/// (accounts.md). Each builds its method's params from its arguments (`params`), so they are tested without a
/// daemon.
struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Accounts: many users' balances inside this wallet.",
        subcommands: [Create.self, Show.self, List.self, Transfer.self, Statement.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account (the same id and params again return it; other params are a conflict).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The account id: user:42, club:om/fan:7 (a-z, 0-9, . _ : / -).") var id: String
        @Option(help: "A name for people.") var name: String?
        @Option(help: "Opaque JSON object kept with the account.") var metadata: String?
        @Option(help: "Refuse a single payment above this, in msat.") var maxPaymentMsat: Int64?
        @Option(help: "Refuse spending above this over any 24 hours, in msat.") var dailySpendMsat: Int64?

        /// The `account.create` params; `metadata` is the parsed `--metadata`.
        func params(metadata: JSONValue?) -> JSONObject {
            var params: JSONObject = ["id": .string(id)]
            if let name { params["name"] = .string(name) }
            if let metadata { params["metadata"] = metadata }
            var limits = JSONObject()
            if let maxPaymentMsat { limits["max_payment_msat"] = .integer(maxPaymentMsat) }
            if let dailySpendMsat { limits["daily_spend_msat"] = .integer(dailySpendMsat) }
            if !limits.isEmpty { params["limits"] = .object(limits) }
            return params
        }

        func run() async throws {
            let parsed = try metadata.map { try connection.json($0, option: "metadata") }
            try await connection.run("account.create", params(metadata: parsed))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An account's balance, holds, available amount, limits and 24-hour spending.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The account id.") var id: String

        func run() async throws { try await connection.run("account.get", ["id": .string(id)]) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accounts, with how many the filter matches.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var page: PageOptions
        @Option(help: "open, frozen or closed.") var status: String?
        @Option(help: "Only ids starting with this: club:om/.") var prefix: String?

        /// The `account.list` params.
        var params: JSONObject {
            var params = page.params
            if let status { params["status"] = .string(status) }
            if let prefix { params["prefix"] = .string(prefix) }
            return params
        }

        func run() async throws { try await connection.run("account.list", params) }
    }

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move money from one account to another, inside the ledger (never twice for one key).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The paying account.") var from: String
        @Argument(help: "The receiving account.") var to: String
        @Option(help: "Amount in sat.") var amountSat: Int64?
        @Option(help: "Amount in msat.") var amountMsat: Int64?
        @Option(help: "A note kept with the transfer.") var memo: String?
        @Option(help: "A key naming this transfer: repeating it returns the first transfer and moves nothing.")
        var idempotencyKey: String

        /// The `account.transfer` params.
        var params: JSONObject {
            var params: JSONObject = [
                "from": .string(from), "to": .string(to), "idempotency_key": .string(idempotencyKey),
            ]
            if let amountSat { params["amount_sat"] = .integer(amountSat) }
            if let amountMsat { params["amount_msat"] = .integer(amountMsat) }
            if let memo { params["memo"] = .string(memo) }
            return params
        }

        func run() async throws { try await connection.run("account.transfer", params) }
    }

    struct Statement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One account's history, newest first, with the totals of the filtered range.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var page: PageOptions
        @Argument(help: "The account id.") var id: String
        @Option(help: "invoice, payment, transfer_in, transfer_out, internal, opening or adjustment.") var kind: String?
        @Option(help: "in: money in only; out: money out only.") var direction: String?
        @Option(help: "settled, pending (payments in flight) or failed (payments that moved nothing).")
        var status: String?
        @OptionGroup var range: TimeRangeOptions

        /// The `account.statement` params.
        var params: JSONObject {
            var params = page.params
            range.add(to: &params)
            params["id"] = .string(id)
            if let kind { params["kind"] = .string(kind) }
            if let direction { params["direction"] = .string(direction) }
            if let status { params["status"] = .string(status) }
            return params
        }

        func run() async throws { try await connection.run("account.statement", params) }
    }
}

/// `t4gctl ledger audit`.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "The accounts' double-entry journal.", subcommands: [Audit.self])

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check the journal (entries sum to zero, balances equal their postings, none negative) and compare"
                + " what accounts hold with the backend's balance (surplus_msat).")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws { try await connection.run("ledger.audit") }
    }
}
