import ArgumentParser
import BOLT11
import Foundation
import JSONRPC

/// `t4gctl decode`: decode and check a BOLT #11 invoice natively.
struct Decode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode a BOLT #11 invoice and check its signature.",
        discussion: """
            Decoding is native: no Lightning backend is ever asked. By default the daemon's invoice.decode does \
            it; with --offline this process decodes without any daemon.
            """
    )

    @Flag(help: "Decode in this process, without a daemon.")
    var offline = false

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The invoice string (lnbc…, lntb…, lntbs…, lnbcrt…).")
    var bolt11: String

    func run() async throws {
        let bolt11 = bolt11.trimmingCharacters(in: .whitespacesAndNewlines)
        guard offline else {
            try await connection.run("invoice.decode", ["bolt11": .string(bolt11)])
            return
        }
        let json = connection.json
        let invoice: Invoice
        do {
            invoice = try Invoice(bolt11: bolt11)
        } catch {
            CommandOutput.printError(reason: error.code.name, message: error.description, asJSON: json)
            throw ExitCode(ExitCodes.invalidInput)
        }
        if json {
            CommandOutput.printJSON(invoice)
        } else {
            CommandOutput.printTable(InvoiceSummary(invoice).rows)
        }
    }
}

/// The rows of the human-readable decode output.
struct InvoiceSummary {
    let rows: [(String, String)]

    init(_ invoice: Invoice) {
        let fields = invoice.fields
        var rows: [(String, String)] = [
            ("network", fields.network.rawValue),
            ("amount", fields.amountMsat.map { "\($0) msat" } ?? "any"),
            ("payment hash", fields.paymentHash.hex),
            ("payee", invoice.payee.description),
            ("description", fields.description ?? "(hash) " + (fields.descriptionHash?.hex ?? "")),
            ("created", "\(fields.timestamp)"),
            ("expires", "\(fields.expiresAt) (after \(fields.effectiveExpirySeconds) s)"),
            ("min final cltv", "\(fields.effectiveMinFinalCLTVExpiry)"),
            ("features", fields.features.map(String.init).joined(separator: " ")),
        ]
        rows += fields.fallbacks.map { ("fallback", "\($0.address(on: fields.network)) (\($0.kind))") }
        for (index, route) in fields.routeHints.enumerated() {
            rows += route.map { hop in
                (
                    "route \(index + 1)",
                    "\(hop.nodeID.hex) \(hop.shortChannelIDString) base \(hop.feeBaseMsat) msat, "
                        + "\(hop.feeProportionalMillionths) ppm, cltv \(hop.cltvExpiryDelta)"
                )
            }
        }
        rows += invoice.warnings.map { ("warning", $0.description) }
        self.rows = rows
    }
}
