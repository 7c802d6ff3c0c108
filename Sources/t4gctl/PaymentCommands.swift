import ArgumentParser
import JSONRPC

/// `t4gctl pay BOLT11`.
struct Pay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Pay a BOLT #11 invoice (never twice).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The invoice.") var bolt11: String
    @Option(help: "Amount in msat, for any-amount invoices only.") var amountMsat: Int64?
    @Option(help: "Most fee to pay, in msat (default 1%, at least 10 sat).") var maxFeeMsat: Int64?
    @Option(help: "Wait at most this many seconds, then report the payment as pending.") var timeout: Int64?
    @Option(help: "A key identifying this payment request, for safe retries.") var idempotencyKey: String?

    func run() async throws {
        var params: JSONObject = ["bolt11": .string(bolt11)]
        if let amountMsat { params["amount_msat"] = .integer(amountMsat) }
        if let maxFeeMsat { params["max_fee_msat"] = .integer(maxFeeMsat) }
        if let timeout { params["timeout_s"] = .integer(timeout) }
        if let idempotencyKey { params["idempotency_key"] = .string(idempotencyKey) }
        try await connection.run("payment.send", params)
    }
}

/// `t4gctl payment get|list`.
struct PaymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment", abstract: "Outgoing payments.", subcommands: [Get.self, List.self])

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The payment to a payment hash, or of the idempotency key its send carried.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The payment hash (or give --idempotency-key).") var paymentHash: String?
        @Option(help: "The idempotency key of the payment's send.") var idempotencyKey: String?
        func run() async throws {
            var params = JSONObject()
            if let paymentHash { params["payment_hash"] = .string(paymentHash) }
            if let idempotencyKey { params["idempotency_key"] = .string(idempotencyKey) }
            try await connection.run("payment.get", params)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Payments, newest first.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var page: PageOptions
        @Option(help: "pending, succeeded or failed.") var status: String?

        func run() async throws {
            var params = page.params
            if let status { params["status"] = .string(status) }
            try await connection.run("payment.list", params)
        }
    }
}
