import BOLT11
import JSONRPC
import Lightning
import Store

extension EventPayloads {
    /// The values of `wallet.transactions`' `direction` filter: `in`/`out` as `account.statement` takes them, and
    /// `incoming`/`outgoing` as its rows say them.
    package static let transactionDirections: [(param: String, direction: WalletTransaction.Direction)] = [
        ("in", .incoming), ("out", .outgoing), ("incoming", .incoming), ("outgoing", .outgoing),
    ]

    /// One `wallet.transactions` row. Money in carries its invoice's label, description and metadata, and no
    /// counterparty (a payer over Lightning is not known); money out carries the description and the payee
    /// (`counterparty`, the node's pubkey) of the invoice it paid, read from its bolt11.
    package static func transaction(_ item: WalletTransaction) -> JSONObject {
        let paid = item.bolt11.flatMap { try? Invoice(bolt11: $0) }
        return [
            "direction": .string(item.direction.rawValue),
            "payment_hash": .string(item.paymentHash.hex),
            "amount_msat": .integer(item.amount.rawValue), "fee_msat": .integer(item.fee.rawValue),
            "status": .string(item.status), "at": .integer(item.at),
            "label": item.label.map(JSONValue.string) ?? .null,
            "description": (item.description ?? paid?.fields.description).map(JSONValue.string) ?? .null,
            "counterparty": paid.map { .string($0.payee.description) } ?? .null,
            "metadata": item.metadata.flatMap { try? JSONValue.parse(Array($0.utf8)) } ?? .null,
        ]
    }

    /// The `totals` of a `wallet.transactions` or `account.statement` page, over its whole filtered range.
    package static func totals(_ totals: WalletTotals) -> JSONObject {
        [
            "in_msat": .integer(totals.incoming.rawValue), "out_msat": .integer(totals.outgoing.rawValue),
            "fees_msat": .integer(totals.fees.rawValue), "count": .integer(totals.count),
        ]
    }
}
