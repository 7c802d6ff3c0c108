import BOLT11
import JSONRPC
import Lightning
import Store
import Wallet

extension DaemonComponents {
    var invoiceMethods: [RPCMethod] {
        [
            RPCMethod(
                "invoice.create", role: .invoice,
                summary: """
                    Create an invoice; the same label with the same params returns the same invoice with \
                    replayed: true.
                    """,
                params: [
                    .optional("amount_msat", Schema.msat, "amount; omit both amounts for an any-amount invoice"),
                    .optional("amount_sat", Schema.integer(1, 2_100_000_000_000_000), "amount in sat, instead"),
                    .optional("fiat", Schema.fiat, "a fiat amount instead, converted at the current rate (rates.get)"),
                    .optional("description", Schema.string, "description (exactly one of the two)"),
                    .optional("description_hash", Schema.hex32, "SHA256 of a long description"),
                    .optional("expiry_s", Schema.integer(1, 31_536_000), "seconds until expiry, default 3600"),
                    .optional("label", Schema.string, "unique label, makes the call idempotent"),
                    .optional("metadata", Schema.anyObject, "opaque JSON kept locally"),
                    .optional("account", Schema.accountID, "the account credited when it is paid, default @treasury"),
                ],
                result: Schema.written("invoice"),
                errors: [
                    "label_conflict", "account_not_found", "account_frozen", "invalid_amount", "rate_unavailable",
                    "backend_unavailable", "backend_error",
                    "backend_timeout",
                ]
            ) { params, _ in
                let description = try params.string("description", maxLength: 639)
                let descriptionHash = try params.string("description_hash").map { text in
                    guard let bytes = [UInt8](hex: text), bytes.count == 32 else {
                        throw DaemonError.invalidParams("'description_hash' must be 64 hex digits")
                    }
                    return bytes
                }
                guard (description == nil) != (descriptionHash == nil) else {
                    throw DaemonError.invalidParams("give exactly one of description and description_hash")
                }
                let metadata = try params.objectText("metadata")
                let amount = try params.amount()
                let fiat = try params.fiat()
                guard amount == nil || fiat == nil else {
                    throw DaemonError("invalid_amount", "give an msat or sat amount or a fiat amount, not both")
                }
                let request = InvoiceBook.CreateRequest(
                    amount: amount, fiat: fiat, description: description, descriptionHash: descriptionHash,
                    expirySeconds: try params.integer("expiry_s", in: 1...31_536_000) ?? 3600,
                    label: try params.string("label", maxLength: 256), metadata: metadata,
                    account: try params.accountOrTreasury())
                return Self.written(try await invoices.create(request), EventPayloads.invoice)
            },
            RPCMethod(
                "invoice.get", role: .readonly, summary: "An invoice by payment_hash or label.",
                params: [
                    .optional("payment_hash", Schema.hex32, "the invoice's payment hash"),
                    .optional("label", Schema.string, "or its label"),
                ],
                result: Schema.ref("invoice"), errors: ["invoice_not_found"]
            ) { params, _ in
                .object(EventPayloads.invoice(try await findInvoice(params)))
            },
            RPCMethod(
                "invoice.list", role: .readonly, summary: "Invoices, newest first.",
                params: [.optional("status", Schema.oneOf(InvoiceStatus.allCases.map(\.rawValue)), "only this status")]
                    + RPCMethod.Param.paging,
                result: Schema.page(of: "invoice")
            ) { params, _ in
                let status = try params.choice("status", of: InvoiceStatus.self)
                let page = try await store.invoices(
                    status: status, limit: try params.limit(), cursor: try params.string("cursor"))
                return Self.page(page.items.map { .object(EventPayloads.invoice($0)) }, next: page.nextCursor)
            },
            RPCMethod(
                "invoice.wait", role: .invoice,
                summary: "Wait until the invoice is paid, expired or canceled, or timeout_s passes; returns it.",
                params: [
                    .required("payment_hash", Schema.hex32, "the invoice's payment hash"),
                    .optional("timeout_s", Schema.integer(0, 86_400), "default 60"),
                ],
                result: Schema.ref("invoice"), errors: ["invoice_not_found"]
            ) { params, _ in
                let record = try await invoices.wait(
                    for: try params.requiredPaymentHash(), timeout: try params.timeout(default: 60))
                return .object(EventPayloads.invoice(record))
            },
            RPCMethod(
                "invoice.cancel", role: .invoice,
                summary: "Cancel an open invoice; an invoice already canceled is returned with replayed: true.",
                params: [.required("payment_hash", Schema.hex32, "the invoice's payment hash")],
                result: Schema.written("invoice"),
                errors: ["invoice_not_found", "invoice_not_open", "unsupported_by_backend", "backend_unavailable"]
            ) { params, _ in
                Self.written(try await invoices.cancel(try params.requiredPaymentHash()), EventPayloads.invoice)
            },
            RPCMethod.immediate(
                "invoice.decode", role: .readonly,
                summary: "Decode a BOLT #11 invoice natively and check its signature (no backend call).",
                params: [.required("bolt11", Schema.string, "the invoice")],
                result: Schema.ref("decoded_invoice"), errors: ["invalid_bolt11"]
            ) { params, _ in
                try DecodedInvoiceJSON.value(PayableInvoice.decode(try params.requiredString("bolt11")))
            },
        ]
    }

    func findInvoice(_ params: Params) async throws -> InvoiceRecord {
        let record: InvoiceRecord?
        if let hash = try params.paymentHash() {
            record = try await store.invoice(paymentHash: hash)
        } else if let label = try params.string("label") {
            record = try await store.invoice(label: label)
        } else {
            throw DaemonError.invalidParams("give payment_hash or label")
        }
        guard let record else { throw DaemonError("invoice_not_found", "no such invoice") }
        return record
    }

    static func page(_ items: [JSONValue], next: String?, total: Int64? = nil) -> JSONValue {
        var page: JSONObject = ["items": .array(items), "next_cursor": next.map(JSONValue.string) ?? .null]
        if let total { page["total"] = .integer(total) }
        return .object(page)
    }
}
