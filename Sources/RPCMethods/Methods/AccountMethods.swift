import JSONRPC
import Lightning
import Store
import Wallet

extension DaemonComponents {
    /// The accounts ledger (docs/accounts.md).
    var accounts: AccountBook { AccountBook(store: store, events: events, now: now) }

    var accountMethods: [RPCMethod] {
        let id = RPCMethod.Param.required("id", Schema.accountID, "the account id")
        return [
            RPCMethod(
                "account.create", role: .invoice,
                summary: """
                    Create an account with a zero balance; the same id with the same params returns it with \
                    replayed: true.
                    """,
                params: [
                    id, .optional("name", Schema.string, "a name for people"),
                    .optional("metadata", Schema.anyObject, "opaque JSON kept with the account"),
                    .optional("limits", Schema.limits, "spending limits, enforced atomically with each debit"),
                ],
                result: Schema.written("account"), errors: ["account_conflict"]
            ) { params, _ in
                let request = AccountBook.CreateRequest(
                    id: try params.callerAccountID("id"), name: try params.string("name", maxLength: 256),
                    metadata: try params.objectText("metadata"), limits: try params.limits() ?? AccountLimits())
                return Self.written(try await accounts.create(request), AccountPayloads.account)
            },
            RPCMethod(
                "account.get", role: .readonly,
                summary: "An account with its balance, holds, available balance and last 24 hours' spending.",
                params: [id], result: Schema.ref("account"), errors: ["account_not_found"]
            ) { params, _ in
                .object(
                    AccountPayloads.account(try await accounts.get(try params.requiredString("id", maxLength: 128))))
            },
            RPCMethod(
                "account.list", role: .readonly, summary: "Accounts in id order, with the total the filter matches.",
                params: [
                    .optional("status", Schema.oneOf(AccountStatus.allCases.map(\.rawValue)), "only this status"),
                    .optional("prefix", Schema.string, "only ids that start with this"),
                ] + RPCMethod.Param.paging,
                result: Schema.page(of: "account", counted: true)
            ) { params, _ in
                let page = try await store.accounts(
                    status: try params.choice("status", of: AccountStatus.self),
                    prefix: try params.string("prefix", maxLength: 128), limit: try params.limit(),
                    cursor: try params.string("cursor", maxLength: 128), now: now())
                return Self.page(
                    page.items.map { .object(AccountPayloads.account($0)) }, next: page.nextCursor, total: page.total)
            },
            RPCMethod(
                "account.update", role: .admin,
                summary:
                    "Change an account's name, metadata, limits or status (open, or frozen: receives, cannot send).",
                params: [
                    id, .optional("name", Schema.string, "a name for people"),
                    .optional("metadata", Schema.anyObject, "opaque JSON kept with the account"),
                    .optional("limits", Schema.limits, "the new limits (replace the old ones)"),
                    .optional("status", Schema.oneOf(["open", "frozen"]), "open or frozen"),
                ],
                result: Schema.ref("account"), errors: ["account_not_found", "account_conflict"]
            ) { params, _ in
                let change = AccountChange(
                    name: try params.string("name", maxLength: 256), metadata: try params.objectText("metadata"),
                    limits: try params.limits(),
                    status: try params.choice("status", of: ["open", "frozen"]).flatMap(AccountStatus.init(rawValue:)))
                return .object(
                    AccountPayloads.account(try await accounts.update(try params.callerAccountID("id"), change)))
            },
            RPCMethod(
                "account.close", role: .admin,
                summary: "Close an account with a zero balance, no holds and no open invoices; closing twice replays.",
                params: [id], result: Schema.written("account"), errors: ["account_not_found", "account_conflict"]
            ) { params, _ in
                Self.written(try await accounts.close(try params.callerAccountID("id")), AccountPayloads.account)
            },
            RPCMethod(
                "account.transfer", role: .admin,
                summary: """
                    Move money from one account to another, checked against the source's available balance and \
                    limits atomically; the same idempotency_key with the same params returns the first transfer \
                    with replayed: true.
                    """,
                params: [
                    .required("from", Schema.accountID, "the paying account"),
                    .required("to", Schema.accountID, "the receiving account"),
                    .optional("amount_msat", Schema.msat, "amount (exactly one of the two)"),
                    .optional("amount_sat", Schema.integer(1, 2_100_000_000_000_000), "or in sat"),
                    .optional("memo", Schema.string, "a note kept with the transfer"),
                    .required("idempotency_key", Schema.string, "identifies this transfer in this store"),
                ],
                result: Schema.written("transfer"),
                errors: [
                    "account_not_found", "account_frozen", "insufficient_funds", "limit_exceeded",
                    "idempotency_conflict", "invalid_amount",
                ]
            ) { params, _ in
                let from = try params.callerAccountID("from")
                let to = try params.callerAccountID("to")
                guard from != to else { throw DaemonError.invalidParams("'from' and 'to' must differ") }
                guard let amount = try params.amount() else {
                    throw DaemonError.invalidParams("give amount_msat or amount_sat")
                }
                let request = AccountBook.TransferRequest(
                    from: from, to: to, amount: amount, memo: try params.string("memo", maxLength: 1024),
                    idempotencyKey: try params.requiredString("idempotency_key", maxLength: 256))
                return Self.written(try await accounts.transfer(request), AccountPayloads.transfer)
            },
            RPCMethod(
                "account.statement", role: .readonly,
                summary: """
                    One account's settled history, newest first: invoices, payments, transfers in and out, each \
                    with its counterparty; totals over the whole filtered range.
                    """,
                params: [
                    id, .optional("kind", Schema.oneOf(AccountPayloads.statementKinds), "only this kind"),
                    .optional("direction", Schema.oneOf(["in", "out"]), "only money in or out"),
                    .optional("from", Schema.integer(0, Int64.max), "at or after this time"),
                    .optional("to", Schema.integer(0, Int64.max), "at or before this time"),
                ] + RPCMethod.Param.paging,
                result: Schema.object([
                    ("items", Schema.array(Schema.anyObject)), ("next_cursor", ["type": ["string", "null"]]),
                    ("totals", Schema.anyObject),
                ]),
                errors: ["account_not_found"]
            ) { params, _ in
                let account = try params.requiredString("id", maxLength: 128)
                _ = try await accounts.get(account)
                var filter = StatementFilter(
                    from: try params.integer("from", in: 0...Int64.max), to: try params.integer("to", in: 0...Int64.max)
                )
                filter.incoming = try params.choice("direction", of: ["in", "out"]).map { $0 == "in" }
                switch try params.choice("kind", of: AccountPayloads.statementKinds) {
                case "transfer_in"?: (filter.kind, filter.incoming) = (.transfer, true)
                case "transfer_out"?: (filter.kind, filter.incoming) = (.transfer, false)
                case let kind?: filter.kind = EntryKind(rawValue: kind)
                case nil: break
                }
                let statement = try await store.statement(
                    account: account, filter: filter, limit: try params.limit(),
                    cursor: try params.string("cursor", maxLength: 32))
                return AccountPayloads.statement(statement)
            },
            RPCMethod(
                "ledger.audit", role: .admin,
                summary: """
                    Check the journal (every entry sums to zero, balances equal their postings, no account below \
                    zero, no hold outlives its payment) and compare what the daemon owes with the backend's balance.
                    """,
                result: Schema.ref("ledger_audit"), errors: ["backend_unavailable", "backend_error"]
            ) { _, _ in
                let audit = try await store.ledgerAudit()
                let balance = try? await backend.balance().balance.rawValue
                return .object(AccountPayloads.audit(audit, backendBalance: balance))
            },
        ]
    }
}

extension Params {
    /// A caller's account id (system accounts, `@…`, are refused).
    func callerAccountID(_ name: String) throws -> String {
        let id = try requiredString(name, maxLength: 128)
        guard AccountBook.isCallerID(id) else {
            throw DaemonError.invalidParams("'\(name)' must match ^[a-z0-9][a-z0-9._:/-]{0,127}$")
        }
        return id
    }

    /// `account` of an invoice or payment: a caller's account id, `@treasury` when absent.
    func accountOrTreasury() throws -> String {
        guard let value = object["account"], !value.isNull, value.stringValue != AccountRecord.treasury else {
            return AccountRecord.treasury
        }
        return try callerAccountID("account")
    }

    /// `limits`: `{max_payment_msat, daily_spend_msat}`, each optional and positive.
    func limits() throws -> AccountLimits? {
        guard let value = object["limits"], !value.isNull else { return nil }
        guard case .object(let fields) = value else { throw DaemonError.invalidParams("'limits' must be an object") }
        let limits = try Params(fields, allowed: ["max_payment_msat", "daily_spend_msat"])
        func amount(_ name: String) throws -> MilliSatoshi? {
            try limits.integer(name, in: 1...Self.maximumMsat).map(MilliSatoshi.init(rawValue:))
        }
        return AccountLimits(maxPayment: try amount("max_payment_msat"), dailySpend: try amount("daily_spend_msat"))
    }
}

extension Schema {
    static let accountID: JSONValue = ["type": "string", "pattern": "^[a-z0-9][a-z0-9._:/-]{0,127}$"]
    static let limits: JSONValue = object([
        ("max_payment_msat", ["type": ["integer", "null"], "minimum": 1]),
        ("daily_spend_msat", ["type": ["integer", "null"], "minimum": 1]),
    ])
}
