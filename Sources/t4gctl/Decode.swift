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
            CommandOutput.printTable(InvoiceSummary(invoice, now: Int64(Date().timeIntervalSince1970)).rows)
        }
    }
}

/// The rows of the human-readable decode output.
struct InvoiceSummary {
    let rows: [(String, String)]

    /// The rows of `invoice`, its times with hints relative to `now` (Unix seconds).
    init(_ invoice: Invoice, now: Int64) {
        let fields = invoice.fields
        var rows: [(String, String)] = [
            ("network", fields.network.rawValue),
            ("amount", fields.amountMsat.map { Self.amount(Int64(clamping: $0)) } ?? "any"),
            ("payment hash", fields.paymentHash.hex),
            ("payee", invoice.payee.description),
            (
                "description",
                fields.description.map(TerminalText.escaped) ?? "(hash) " + (fields.descriptionHash?.hex ?? "")
            ),
            ("created", Self.time(fields.timestamp, now)),
            (
                "expires",
                Self.time(fields.expiresAt, now) + ", " + Self.duration(fields.effectiveExpirySeconds)
                    + " after creation"
            ),
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
        rows += invoice.warnings.map { ("warning", TerminalText.escaped($0.description)) }
        self.rows = rows
    }

    private static func amount(_ msat: Int64) -> String { AmountText.format(msat: msat) }

    private static func time(_ seconds: some BinaryInteger, _ now: Int64) -> String {
        TimeText.format(unixSeconds: Int64(clamping: seconds), now: now)
    }

    private static func duration(_ seconds: some BinaryInteger) -> String {
        DurationText.format(seconds: Int64(clamping: seconds))
    }
}
