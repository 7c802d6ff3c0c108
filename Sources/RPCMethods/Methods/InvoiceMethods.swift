import BOLT11
import JSONRPC
import Lightning
import Store
import Wallet

extension DaemonComponents {
    var invoiceMethods: [RPCMethod] {
        [
            RPCMethod(.invoiceCreate) { params, _ in
                let description = try params.string("description")
                let descriptionHash = try params.bytes("description_hash")
                guard (description == nil) != (descriptionHash == nil) else {
                    throw DaemonError.invalidParams("give exactly one of description and description_hash")
                }
                let metadata = try params.objectText("metadata")
                let amount = try params.amount()
                let fiat = try params.fiat()
                guard amount == nil || fiat == nil else {
                    throw DaemonError(.invalidAmount, "give an msat or sat amount or a fiat amount, not both")
                }
                let request = InvoiceBook.CreateRequest(
                    amount: amount, fiat: fiat, description: description, descriptionHash: descriptionHash,
                    expirySeconds: try params.integer("expiry_s") ?? 3600, label: try params.string("label"),
                    metadata: metadata, account: try params.accountOrTreasury())
                return Self.written(try await invoices.create(request), EventPayloads.invoice)
            },
            RPCMethod(.invoiceGet) { params, _ in
                .object(EventPayloads.invoice(try await findInvoice(params)))
            },
            RPCMethod(.invoiceList) { params, _ in
                let status = try params.choice("status", of: InvoiceStatus.self)
                let page = try await store.invoices(
                    status: status, account: try await listedAccount(params), limit: try params.limit(),
                    cursor: try params.string("cursor"))
                return Self.page(page.items.map { .object(EventPayloads.invoice($0)) }, next: page.nextCursor)
            },
            RPCMethod(.invoiceWait) { params, _ in
                let record = try await invoices.wait(
                    for: try params.requiredPaymentHash(), timeout: try params.timeout(default: 60))
                return .object(EventPayloads.invoice(record))
            },
            RPCMethod(.invoiceCancel) { params, _ in
                Self.written(try await invoices.cancel(try params.requiredPaymentHash()), EventPayloads.invoice)
            },
            RPCMethod.immediate(.invoiceDecode) { params, _ in
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
        guard let record else { throw DaemonError(.invoiceNotFound, "no such invoice") }
        return record
    }

    /// A list page: its `items`, the `next_cursor`, and where the listing counts or sums its whole filtered
    /// range, `total` or `totals`.
    static func page(
        _ items: [JSONValue], next: String?, total: Int64? = nil, totals: JSONObject? = nil
    ) -> JSONValue {
        var page: JSONObject = ["items": .array(items), "next_cursor": next.map(JSONValue.string) ?? .null]
        if let total { page["total"] = .integer(total) }
        if let totals { page["totals"] = .object(totals) }
        return .object(page)
    }
}
