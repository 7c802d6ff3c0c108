import ArgumentParser
import JSONRPC

/// `t4gctl invoice create|get|list|wait|cancel`.
struct InvoiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice", abstract: "Invoices this daemon issues.",
        subcommands: [Create.self, Get.self, List.self, Wait.self, Cancel.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an invoice.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Amount in sat.") var amountSat: Int64?
        @Option(help: "Amount in msat.") var amountMsat: Int64?
        @Option(help: "A fiat amount instead, converted at the daemon's current rate: 78.50EUR.")
        var fiat: FiatArgument?
        @Option(help: "Description shown to the payer.") var description: String?
        @Option(help: "SHA256 (hex) of a long description, instead.") var descriptionHash: String?
        @Option(help: "Time until expiry: seconds or 1h 30m (default 1h).") var expiry: DurationArgument?
        @Option(help: "Unique label; the same label and params return the same invoice.") var label: String?
        @Option(help: "Opaque JSON object kept locally.") var metadata: String?

        func run() async throws {
            var params = JSONObject()
            if let amountSat { params["amount_sat"] = .integer(amountSat) }
            if let amountMsat { params["amount_msat"] = .integer(amountMsat) }
            if let fiat { params["fiat"] = fiat.param }
            if let description { params["description"] = .string(description) }
            if let descriptionHash { params["description_hash"] = .string(descriptionHash) }
            if let expiry { params["expiry_s"] = .integer(expiry.seconds) }
            if let label { params["label"] = .string(label) }
            if let metadata { params["metadata"] = try connection.json(metadata, option: "metadata") }
            try await connection.run("invoice.create", params)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An invoice by payment hash or --label.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The payment hash.") var paymentHash: String?
        @Option(help: "Find by label instead.") var label: String?

        func run() async throws {
            var params = JSONObject()
            if let paymentHash { params["payment_hash"] = .string(paymentHash) }
            if let label { params["label"] = .string(label) }
            try await connection.run("invoice.get", params)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Invoices, newest first.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var page: PageOptions
        @Option(help: "open, paid, expired or canceled.") var status: String?
        @OptionGroup var account: AccountFilterOption

        func run() async throws {
            var params = page.params
            account.add(to: &params)
            if let status { params["status"] = .string(status) }
            try await connection.run("invoice.list", params)
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Wait until an invoice is paid, expired or canceled.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The payment hash.") var paymentHash: String
        @Option(help: "Give up after this long: seconds or 2m.") var timeout = DurationArgument(seconds: 60)

        func run() async throws {
            try await connection.run(
                "invoice.wait", ["payment_hash": .string(paymentHash), "timeout_s": .integer(timeout.seconds)])
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an open invoice.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The payment hash.") var paymentHash: String

        func run() async throws { try await connection.run("invoice.cancel", ["payment_hash": .string(paymentHash)]) }
    }
}
