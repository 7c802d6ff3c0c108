import JSONRPC

/// The events a journal entry announces: `account.credited` or `account.debited` for each of its postings to an
/// account that is not a system one (`@treasury`, `@node`). Both engines write them inside their `post`, the one
/// place postings are written, so every movement of a caller's money (an invoice paid, a payment succeeded, a
/// transfer, an internal settlement) is announced in the transaction that makes it.
package enum PostingEvents {
    /// One event per posting to a caller's account, in the order of `postings`: `data` holds `account`,
    /// `amount_msat` and `amount_sat` (the amount moved, positive, sat floored), `entry_id`, `cause` (the entry's
    /// kind) and its references `payment_hash` and `transfer_id` (each `null` when the entry has none).
    package static func events(
        entryID: Int64, kind: EntryKind, at: Int64, paymentHash: String?, transferID: String?,
        _ postings: [(account: String, amount: Int64)]
    ) -> [NewEvent] {
        postings.filter { $0.amount != 0 && !AccountRecord.isSystem($0.account) }.map { posting in
            let moved = posting.amount.magnitude
            let data: JSONObject = [
                "account": .string(posting.account), "amount_msat": .integer(Int64(moved)),
                "amount_sat": .integer(Int64(moved / 1_000)), "entry_id": .integer(entryID),
                "cause": .string(kind.rawValue), "payment_hash": paymentHash.map(JSONValue.string) ?? .null,
                "transfer_id": transferID.map(JSONValue.string) ?? .null,
            ]
            return NewEvent(
                type: posting.amount > 0 ? "account.credited" : "account.debited", at: at,
                data: String(decoding: JSONValue.object(data).serialized(), as: UTF8.self))
        }
    }
}
