import JSONRPC
import Lightning
import Store

/// The JSON objects of the RPC contract for stored records, and the events that carry them.
package enum EventPayloads {
    /// The invoice object. The preimage appears only once the invoice is paid.
    package static func invoice(_ record: InvoiceRecord) -> JSONObject {
        [
            "payment_hash": .string(record.paymentHash.hex),
            "bolt11": .string(record.bolt11),
            "label": record.label.map(JSONValue.string) ?? .null,
            "amount_msat": record.amount.map { .integer($0.rawValue) } ?? .null,
            "description": record.description.map(JSONValue.string) ?? .null,
            "description_hash": record.descriptionHash.map(JSONValue.string) ?? .null,
            "status": .string(record.status.rawValue),
            "created_at": .integer(record.createdAt),
            "expires_at": .integer(record.expiresAt),
            "paid_at": record.paidAt.map(JSONValue.integer) ?? .null,
            "amount_received_msat": record.amountReceived.map { .integer($0.rawValue) } ?? .null,
            "preimage": record.status == .paid ? record.preimage.map { .string($0.hex) } ?? .null : .null,
            "metadata": record.metadata.flatMap { try? JSONValue.parse(Array($0.utf8)) } ?? .null,
            "fiat": record.fiat.flatMap { try? JSONValue.parse(Array($0.utf8)) } ?? .null,
            "account": .string(record.account),
        ]
    }

    /// The payment object.
    package static func payment(_ record: PaymentRecord) -> JSONObject {
        [
            "payment_hash": .string(record.paymentHash.hex),
            "bolt11": .string(record.bolt11),
            "status": .string(record.status.rawValue),
            "amount_msat": .integer(record.amount.rawValue),
            "fee_msat": record.fee.map { .integer($0.rawValue) } ?? .null,
            "preimage": record.preimage.map { .string($0.hex) } ?? .null,
            "failure_reason": record.failureReason.map { .string($0.rawValue) } ?? .null,
            "created_at": .integer(record.createdAt),
            "completed_at": record.completedAt.map(JSONValue.integer) ?? .null,
            "idempotency_key": record.idempotencyKey.map(JSONValue.string) ?? .null,
            "fiat": record.fiat.flatMap { try? JSONValue.parse(Array($0.utf8)) } ?? .null,
            "account": .string(record.account),
        ]
    }

    static func invoiceEvent(_ type: String, _ record: InvoiceRecord, at: Int64) -> NewEvent {
        NewEvent(type: type, at: at, data: text(invoice(record)))
    }

    static func paymentEvent(_ record: PaymentRecord, at: Int64) -> NewEvent {
        NewEvent(
            type: record.status == .succeeded ? "payment.succeeded" : "payment.failed", at: at,
            data: text(payment(record)))
    }

    /// The event object `{index, type, at, data}`.
    package static func event(_ record: EventRecord) -> JSONValue {
        .object([
            "index": .integer(record.index),
            "type": .string(record.type),
            "at": .integer(record.at),
            "data": (try? JSONValue.parse(Array(record.data.utf8))) ?? .object(JSONObject()),
        ])
    }

    static func text(_ object: JSONObject) -> String {
        String(decoding: JSONValue.object(object).serialized(), as: UTF8.self)
    }
}
