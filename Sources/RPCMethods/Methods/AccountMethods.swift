import JSONRPC
import Lightning
import Store
import Wallet

extension DaemonComponents {
    /// The accounts ledger (docs/accounts.md).
    var accounts: AccountBook { AccountBook(store: store, events: events, now: now) }

    var accountMethods: [RPCMethod] {
        [
            RPCMethod(.accountCreate) { params, _ in
                let request = AccountBook.CreateRequest(
                    id: try params.requiredString("id"), name: try params.string("name"),
                    metadata: try params.objectText("metadata"), limits: try params.limits() ?? AccountLimits())
                return Self.written(try await accounts.create(request), AccountPayloads.account)
            },
            RPCMethod(.accountGet) { params, _ in
                .object(AccountPayloads.account(try await accounts.get(try params.requiredString("id"))))
            },
            RPCMethod(.accountList) { params, _ in
                let page = try await store.accounts(
                    status: try params.choice("status", of: AccountStatus.self),
                    prefix: try params.string("prefix"), limit: try params.limit(),
                    cursor: try params.string("cursor"), now: now())
                return Self.page(
                    page.items.map { .object(AccountPayloads.account($0)) }, next: page.nextCursor, total: page.total)
            },
            RPCMethod(.accountUpdate) { params, _ in
                let change = AccountChange(
                    name: try params.string("name"), metadata: try params.objectText("metadata"),
                    limits: try params.limits(),
                    status: try params.string("status").flatMap(AccountStatus.init(rawValue:)))
                return .object(
                    AccountPayloads.account(try await accounts.update(try params.requiredString("id"), change)))
            },
            RPCMethod(.accountClose) { params, _ in
                Self.written(try await accounts.close(try params.requiredString("id")), AccountPayloads.account)
            },
            RPCMethod(.accountTransfer) { params, _ in
                let from = try params.requiredString("from")
                let to = try params.requiredString("to")
                guard from != to else { throw DaemonError.invalidParams("'from' and 'to' must differ") }
                guard let amount = try params.amount() else {
                    throw DaemonError.invalidParams("give amount_msat or amount_sat")
                }
                let request = AccountBook.TransferRequest(
                    from: from, to: to, amount: amount, memo: try params.string("memo"),
                    idempotencyKey: try params.requiredString("idempotency_key"))
                return Self.written(try await accounts.transfer(request), AccountPayloads.transfer)
            },
            RPCMethod(.accountStatement) { params, _ in
                let account = try params.requiredString("id")
                _ = try await accounts.get(account)
                var filter = StatementFilter(from: try params.integer("from"), to: try params.integer("to"))
                filter.incoming = try params.string("direction").map { $0 == "in" }
                filter.status = try params.choice("status", of: StatementStatus.self)
                switch try params.string("kind") {
                case "transfer_in"?: (filter.kind, filter.incoming) = (.transfer, true)
                case "transfer_out"?: (filter.kind, filter.incoming) = (.transfer, false)
                case let kind?: filter.kind = EntryKind(rawValue: kind)
                case nil: break
                }
                let statement = try await store.statement(
                    account: account, filter: filter, limit: try params.limit(), cursor: try params.string("cursor"))
                return AccountPayloads.statement(statement)
            },
            RPCMethod(.ledgerAudit) { _, _ in
                let audit = try await store.ledgerAudit()
                let balance = try? await backend.balance().balance.rawValue
                return .object(AccountPayloads.audit(audit, backendBalance: balance))
            },
        ]
    }
}

extension DaemonComponents {
    /// The `account` a list is filtered by (declared `.accountFilter`), refused with `account_not_found` when no
    /// such account exists; `nil` (absent) lists everything.
    func listedAccount(_ params: Params) async throws -> String? {
        guard let id = try params.string("account") else { return nil }
        _ = try await accounts.get(id)
        return id
    }
}

extension Params {
    /// `account` of an invoice or payment (declared `.ownAccount`): `@treasury` when absent.
    func accountOrTreasury() throws(DaemonError) -> String {
        try string("account") ?? AccountRecord.treasury
    }

    /// `limits` (declared by ``RPCMethod/Declaration/limitsParam(_:)``), `nil` when absent.
    func limits() throws(DaemonError) -> AccountLimits? {
        guard let limits = try members("limits") else { return nil }
        return AccountLimits(
            maxPayment: try limits.integer("max_payment_msat").map(MilliSatoshi.init(rawValue:)),
            dailySpend: try limits.integer("daily_spend_msat").map(MilliSatoshi.init(rawValue:)))
    }
}
