import JSONRPC
import Lightning

extension RPCMethod.Declaration {
    static let invoiceCreate = Self(
        "invoice.create", role: .invoice,
        summary: """
            Create an invoice; the same label with the same params returns the same invoice with \
            replayed: true.
            """,
        params: [
            .optional("amount_msat", .msat, "amount; omit both amounts for an any-amount invoice"),
            .optional("amount_sat", .sat, "amount in sat, instead"),
            .optional("fiat", .object(Schema.fiat), "a fiat amount instead, converted at the current rate (rates.get)"),
            .optional("description", .string(maxLength: 639), "description (exactly one of the two)"),
            .optional("description_hash", .hex32, "SHA256 of a long description"),
            .optional("expiry_s", .integer(1...31_536_000), "seconds until expiry, default 3600"),
            .optional("label", .key, "unique label, makes the call idempotent"),
            .optional("metadata", .object(Schema.anyObject), "opaque JSON kept locally, at most 16 KiB"),
            .optional("account", .ownAccount, "the account credited when it is paid, default @treasury"),
        ],
        result: Schema.written("invoice"),
        errors: [
            .labelConflict, .accountNotFound, .accountFrozen, .invalidAmount, .rateUnavailable, .backendUnavailable,
            .backendError, .backendTimeout,
        ],
        example: ["amount_msat": 250_000, "description": "coffee", "label": "order-42"]
    )

    static let invoiceGet = Self(
        "invoice.get", role: .readonly, summary: "An invoice by payment_hash or label.",
        params: [
            .optional("payment_hash", .hex32, "the invoice's payment hash"),
            .optional("label", .key, "or its label"),
        ],
        result: Schema.ref("invoice"), errors: [.invoiceNotFound],
        example: ["label": "order-42"]
    )

    static let invoiceList = Self(
        "invoice.list", role: .readonly, summary: "Invoices, newest first.",
        params: [
            .optional("status", .choice(InvoiceStatus.allCases.map(\.rawValue)), "only this status"),
            .accountFilter,
        ] + RPCParam.paging,
        result: Schema.page(of: "invoice"), errors: [.accountNotFound],
        example: ["status": "paid", "limit": 10]
    )

    static let invoiceWait = Self(
        "invoice.wait", role: .invoice,
        summary: "Wait until the invoice is paid, expired or canceled, or timeout_s passes; returns it.",
        params: [
            .required("payment_hash", .hex32, "the invoice's payment hash"),
            .optional("timeout_s", .integer(0...86_400), "default 60"),
        ],
        result: Schema.ref("invoice"), errors: [.invoiceNotFound]
    )

    static let invoiceCancel = Self(
        "invoice.cancel", role: .invoice,
        summary: "Cancel an open invoice; an invoice already canceled is returned with replayed: true.",
        params: [.required("payment_hash", .hex32, "the invoice's payment hash")],
        result: Schema.written("invoice"),
        errors: [.invoiceNotFound, .invoiceNotOpen, .unsupportedByBackend, .backendUnavailable]
    )

    static let invoiceDecode = Self(
        "invoice.decode", role: .readonly,
        summary: "Decode a BOLT #11 invoice natively and check its signature (no backend call).",
        params: [.required("bolt11", .text, "the invoice")],
        result: Schema.ref("decoded_invoice"), errors: [.invalidBolt11]
    )
}
