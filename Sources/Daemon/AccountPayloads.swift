import JSONRPC
import Store

/// The JSON objects of accounts, transfers and the ledger audit, and the events a transfer writes.
enum AccountPayloads {
    /// The account object of `account.get`: figures in msat with their sat twins (floored).
    static func account(_ state: AccountState) -> JSONObject {
        let account = state.account
        func money(_ name: String, _ msat: Int64) -> [(String, JSONValue)] {
            [(name + "_msat", .integer(msat)), (name + "_sat", .integer(msat.floorDivided(by: 1000)))]
        }
        return JSONObject(
            [
                ("id", .string(account.id)),
                ("name", account.name.map(JSONValue.string) ?? .null),
                ("status", .string(account.status.rawValue)),
            ] + money("balance", state.balance) + money("held", state.held) + money("available", state.available)
                + [
                    ("limits", .object(limits(account.limits))),
                    ("spent_24h_msat", .integer(state.spentLastDay)),
                    ("metadata", account.metadata.flatMap { try? JSONValue.parse(Array($0.utf8)) } ?? .null),
                    ("created_at", .integer(account.createdAt)),
                ])
    }

    /// `{max_payment_msat, daily_spend_msat}`, null where unlimited.
    static func limits(_ limits: AccountLimits) -> JSONObject {
        [
            "max_payment_msat": limits.maxPayment.map { .integer($0.rawValue) } ?? .null,
            "daily_spend_msat": limits.dailySpend.map { .integer($0.rawValue) } ?? .null,
        ]
    }

    /// The transfer object.
    static func transfer(_ record: TransferRecord) -> JSONObject {
        [
            "transfer_id": .string(record.transferID),
            "from": .string(record.from),
            "to": .string(record.to),
            "amount_msat": .integer(record.amount.rawValue),
            "memo": record.memo.map(JSONValue.string) ?? .null,
            "created_at": .integer(record.createdAt),
            "entry_id": .integer(record.entryID),
        ]
    }

    /// `account.debited` of the source and `account.credited` of the target, with the entry and its cause.
    static func transferEvents(_ record: TransferRecord) -> [NewEvent] {
        [("account.debited", record.from), ("account.credited", record.to)].map { type, account in
            let data: JSONObject = [
                "account": .string(account), "amount_msat": .integer(record.amount.rawValue),
                "entry_id": .integer(record.entryID), "cause": "transfer", "transfer_id": .string(record.transferID),
            ]
            return NewEvent(type: type, at: record.createdAt, data: EventPayloads.text(data))
        }
    }

    /// The answer of `ledger.audit`: the checks, the figures, and `surplus_msat` (the backend's reported
    /// balance less what the daemon owes; below zero is an alert).
    static func audit(_ audit: LedgerAudit, backendBalance: Int64?) -> JSONObject {
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        return [
            "clean": .bool(audit.isClean),
            "entries": .integer(audit.entries),
            "postings": .integer(audit.postings),
            "unbalanced_entries": .array(audit.unbalancedEntries.map(JSONValue.integer)),
            "mismatched_accounts": strings(audit.mismatchedAccounts),
            "negative_accounts": strings(audit.negativeAccounts),
            "stale_holds": strings(audit.staleHolds),
            "liabilities_msat": .integer(audit.liabilities),
            "node_msat": .integer(audit.nodeBalance),
            "backend_balance_msat": backendBalance.map(JSONValue.integer) ?? .null,
            "surplus_msat": backendBalance.map { .integer($0 - audit.liabilities) } ?? .null,
        ]
    }
}

extension Int64 {
    /// The quotient rounded toward negative infinity (a negative balance in sat is floored, like a positive one).
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? quotient - 1 : quotient
    }
}
