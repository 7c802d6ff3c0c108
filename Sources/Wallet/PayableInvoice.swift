import BOLT11
import JSONRPC
import Lightning

/// An invoice that passed the payer's checks: decoded natively, signature valid, current spec rules, our
/// network, not ours, not expired, amount rules.
package struct PayableInvoice: Sendable {
    let invoice: Invoice
    let paymentHash: PaymentHash
    let amount: MilliSatoshi

    /// Checks `bolt11` for payment; `nodePubkey` refuses this node's invoices (`nil` for an invoice of the
    /// daemon's own book that another account pays internally).
    static func check(
        _ bolt11: String, network: Network, nodePubkey: String?, now: Int64, amount requested: MilliSatoshi?
    ) throws -> PayableInvoice {
        let invoice = try decode(bolt11)
        do {
            try invoice.requireStrictlyValid()
        } catch {
            throw DaemonError(
                .invoiceNotPayable, "the current BOLT #11 payer rules refuse this invoice: \(error.detail)",
                data: ["cause": .string(error.code.name)], underlying: error)
        }
        let fields = invoice.fields
        guard fields.network == network else {
            throw DaemonError(
                .networkMismatch,
                "the invoice is for \(fields.network.rawValue), this daemon runs on \(network.rawValue)")
        }
        guard invoice.payee.compressed.hex != nodePubkey else {
            throw DaemonError(.selfPayment, "the invoice was issued by this node")
        }
        guard Int64(clamping: fields.expiresAt) > now else {
            throw DaemonError(.invoiceExpired, "the invoice expired at \(fields.expiresAt)")
        }
        let amount: MilliSatoshi
        switch (fields.amountMsat, requested) {
        case (nil, nil): throw DaemonError(.amountRequired, "the invoice has no amount: give amount_msat")
        case (nil, let requested?): amount = requested
        case (.some, .some): throw DaemonError(.amountNotAllowed, "the invoice fixes its amount")
        case (let fixed?, nil): amount = MilliSatoshi(Int64(fixed))
        }
        return PayableInvoice(invoice: invoice, paymentHash: PaymentHash(bytes: fields.paymentHash)!, amount: amount)
    }

    /// The payment hash of `bolt11`, decoded without the payer checks (to find an earlier payment of it).
    static func paymentHash(of bolt11: String) throws -> PaymentHash {
        guard let hash = PaymentHash(bytes: try decode(bolt11).fields.paymentHash) else {
            throw DaemonError(.invalidBolt11, "the invoice has no 32-byte payment hash")
        }
        return hash
    }

    /// Decodes natively; an invalid invoice is `invalid_bolt11` with the decoder's precise cause.
    package static func decode(_ bolt11: String) throws -> Invoice {
        do {
            return try Invoice(bolt11: bolt11)
        } catch {
            throw DaemonError(
                .invalidBolt11, "the invoice is not valid BOLT #11: \(error.detail)",
                data: ["cause": .string(error.code.name)], underlying: error)
        }
    }
}
