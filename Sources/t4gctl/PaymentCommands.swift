import ArgumentParser
import BOLT11
import JSONRPC
import RPCClient

/// `t4gctl pay BOLT11`.
struct Pay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pay a BOLT #11 invoice (never twice).",
        discussion: """
            On a terminal, a status line shows the payment's state until it succeeds, fails or the timeout \
            passes. A payment still pending then is not failed: it may still succeed, and paying the invoice \
            again another way could pay twice; follow it with t4gctl payment get HASH.
            """)
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The invoice.") var bolt11: String
    @Option(help: "Amount in msat, for any-amount invoices only.") var amountMsat: Int64?
    @Option(help: "Most fee to pay, in msat (default 1%, at least 10 sat).") var maxFeeMsat: Int64?
    @Option(help: "Wait at most this long (seconds or 2m), then report the payment as pending.")
    var timeout: DurationArgument?
    @Option(help: "A key identifying this payment request, for safe retries.") var idempotencyKey: String?

    func run() async throws {
        var params: JSONObject = ["bolt11": .string(bolt11)]
        if let amountMsat { params["amount_msat"] = .integer(amountMsat) }
        if let maxFeeMsat { params["max_fee_msat"] = .integer(maxFeeMsat) }
        if let timeout { params["timeout_s"] = .integer(timeout.seconds) }
        if let idempotencyKey { params["idempotency_key"] = .string(idempotencyKey) }
        let progress = ProgressLine.onStandardError(wanted: !connection.json)
        let paymentHash = try? Invoice(bolt11: bolt11).fields.paymentHash.hex
        let watcher = progress.enabled ? Task { await watch(paymentHash, on: progress) } : nil
        let payment = try await connection.call("payment.send", params, progress: progress)
        watcher?.cancel()
        connection.print(payment)
        if payment["status"]?.stringValue == "pending", !connection.json {
            let hash = payment["payment_hash"]?.stringValue ?? paymentHash ?? "HASH"
            CommandOutput.printNote(
                "the payment is still pending: it is not failed and may still succeed, so do not pay this invoice"
                    + " again another way. Follow it with: t4gctl payment get \(hash) (or t4gctl events --follow)")
        }
    }

    /// Shows the payment's state (from payment.get, on a connection of its own) until cancelled.
    private func watch(_ paymentHash: String?, on progress: ProgressLine) async {
        let amount = (try? Invoice(bolt11: bolt11).fields.amountMsat).flatMap { $0 }
        let what = "paying" + (amount.map { " " + AmountText.format(msat: Int64(clamping: $0)) } ?? "")
        progress.show(what + ": sending")
        guard let paymentHash, let client = try? await RPCClient.connect(unixDomainSocketPath: connection.socketPath)
        else { return }
        defer { Task { await client.close() } }
        while !Task.isCancelled {
            if let payment = try? await client.call("payment.get", params: ["payment_hash": .string(paymentHash)]),
                let status = payment["status"]?.stringValue
            {
                progress.show(what + ": " + status)
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
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
        @OptionGroup var account: AccountFilterOption

        func run() async throws {
            var params = page.params
            account.add(to: &params)
            if let status { params["status"] = .string(status) }
            try await connection.run("payment.list", params)
        }
    }
}
