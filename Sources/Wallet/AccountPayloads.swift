import BOLT11
import JSONRPC
import Store

/// The JSON objects of accounts, transfers and the ledger audit, and the events a transfer writes.
package enum AccountPayloads {
    /// The account object of `account.get`: figures in msat with their sat twins (floored).
    package static func account(_ state: AccountState) -> JSONObject {
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
    package static func limits(_ limits: AccountLimits) -> JSONObject {
        [
            "max_payment_msat": limits.maxPayment.map { .integer($0.rawValue) } ?? .null,
            "daily_spend_msat": limits.dailySpend.map { .integer($0.rawValue) } ?? .null,
        ]
    }

    /// The transfer object.
    package static func transfer(_ record: TransferRecord) -> JSONObject {
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

    /// The kinds `account.statement` shows: a transfer is `transfer_in` or `transfer_out` by its sign.
    package static let statementKinds = [
        "invoice", "payment", "transfer_in", "transfer_out", "internal", "opening", "adjustment",
    ]

    /// One line of `account.statement`. A payment of an invoice that is not this daemon's has its description
    /// read from the invoice it paid.
    package static func statementLine(_ line: StatementLine) -> JSONObject {
        let description = line.description ?? line.bolt11.flatMap { try? Invoice(bolt11: $0) }?.fields.description
        let kind = line.kind == .transfer ? (line.amount > 0 ? "transfer_in" : "transfer_out") : line.kind.rawValue
        return [
            "entry_id": line.entryID.map(JSONValue.integer) ?? .null,
            "kind": .string(kind),
            "direction": .string(line.amount > 0 ? "in" : "out"),
            "amount_msat": .integer(line.amount),
            "fee_msat": line.fee.map(JSONValue.integer) ?? .null,
            "counterparty": line.counterparty.map(JSONValue.string) ?? .null,
            "label": line.label.map(JSONValue.string) ?? .null,
            "description": description.map(JSONValue.string) ?? .null,
            "payment_hash": line.paymentHash.map(JSONValue.string) ?? .null,
            "transfer_id": line.transferID.map(JSONValue.string) ?? .null,
            "status": .string(line.status.rawValue),
            "at": .integer(line.at),
        ]
    }

    /// The statement page: its lines, the next cursor, and `totals` over the whole filtered range.
    package static func statement(_ statement: AccountStatement) -> JSONValue {
        .object([
            "items": .array(statement.page.items.map { .object(statementLine($0)) }),
            "next_cursor": statement.page.nextCursor.map(JSONValue.string) ?? .null,
            "totals": .object(EventPayloads.totals(statement.totals)),
        ])
    }

    /// The answer of `ledger.audit`: the checks, the figures, and `surplus_msat` (the backend's reported
    /// balance less what the daemon owes; below zero is an alert).
    package static func audit(_ audit: LedgerAudit, backendBalance: Int64?) -> JSONObject {
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
            "surplus_msat": backendBalance.map { .integer(audit.surplus(backendBalance: $0)) } ?? .null,
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
