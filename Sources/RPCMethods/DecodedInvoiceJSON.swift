import BOLT11
import Foundation
import JSONRPC

/// The `invoice.decode` result: the decoded-invoice object of the contract, the same one `t4gctl decode
/// --offline --json` prints (both come from `Invoice`'s `Encodable` conformance).
enum DecodedInvoiceJSON {
    static func value(_ invoice: Invoice) throws -> JSONValue {
        let data = try JSONEncoder().encode(invoice)
        return try JSONValue.parse(Array(data))
    }
}
