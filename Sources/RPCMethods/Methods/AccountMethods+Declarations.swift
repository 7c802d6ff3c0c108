import JSONRPC
import StoreModel
import Wallet

extension RPCMethod.Declaration {
    private static let accountIDParam = RPCParam.required("id", .callerAccount, "the account id")
    private static let nameParam = RPCParam.optional("name", .key, "a name for people")
    private static let metadataParam = RPCParam.optional(
        "metadata", .object(Schema.anyObject), "opaque JSON kept with the account, at most 16 KiB")

    /// `limits`: each optional and positive; absent means no limit.
    static func limitsParam(_ summary: String) -> RPCParam {
        .optional(
            "limits",
            .members([
                .optional("max_payment_msat", .msat, "the largest single payment or transfer"),
                .optional("daily_spend_msat", .msat, "payments and outgoing transfers over a rolling 24 hours"),
            ]), summary)
    }

    static let accountCreate = Self(
        "account.create", role: .invoice,
        summary: """
            Create an account with a zero balance; the same id with the same params returns it with \
            replayed: true.
            """,
        params: [
            accountIDParam, nameParam, metadataParam,
            limitsParam("spending limits, enforced atomically with each debit"),
        ],
        result: Schema.written("account"), errors: [.accountConflict],
        example: ["id": "user:42", "name": "Ada", "limits": ["daily_spend_msat": 50_000_000]]
    )

    static let accountGet = Self(
        "account.get", role: .readonly,
        summary: "An account with its balance, holds, available balance and last 24 hours' spending.",
        params: [.required("id", .anyAccount, "the account id (a system account too)")],
        result: Schema.ref("account"), errors: [.accountNotFound],
        example: ["id": "user:42"]
    )

    static let accountList = Self(
        "account.list", role: .readonly, summary: "Accounts in id order, with the total the filter matches.",
        params: [
            .optional("status", .choice(AccountStatus.allCases.map(\.rawValue)), "only this status"),
            .optional("prefix", .string(maxLength: 128), "only ids that start with this"),
        ] + RPCParam.paging,
        result: Schema.page(of: "account", counted: true),
        example: ["prefix": "user:", "limit": 50]
    )

    static let accountUpdate = Self(
        "account.update", role: .admin,
        summary: "Change an account's name, metadata, limits or status (open, or frozen: receives, cannot send).",
        params: [
            accountIDParam, nameParam, metadataParam, limitsParam("the new limits (replace the old ones)"),
            .optional("status", .choice(["open", "frozen"]), "open or frozen"),
        ],
        result: Schema.ref("account"), errors: [.accountNotFound, .accountConflict],
        example: ["id": "user:42", "status": "frozen"]
    )

    static let accountClose = Self(
        "account.close", role: .admin,
        summary: "Close an account with a zero balance, no holds and no open invoices; closing twice replays.",
        params: [accountIDParam], result: Schema.written("account"), errors: [.accountNotFound, .accountConflict],
        example: ["id": "user:42"]
    )

    static let accountTransfer = Self(
        "account.transfer", role: .spend,
        summary: """
            Move money from one account to another, checked against the source's available balance and \
            limits atomically; the same idempotency_key with the same params returns the first transfer \
            with replayed: true.
            """,
        params: [
            .required("from", .callerAccount, "the paying account"),
            .required("to", .callerAccount, "the receiving account"),
            .optional("amount_msat", .msat, "amount (exactly one of the two)"),
            .optional("amount_sat", .sat, "or in sat"),
            .optional("memo", .string(maxLength: 1024), "a note kept with the transfer"),
            .required("idempotency_key", .key, "identifies this transfer in this store"),
        ],
        result: Schema.written("transfer"),
        errors: [
            .accountNotFound, .accountFrozen, .insufficientFunds, .limitExceeded, .idempotencyConflict, .invalidAmount,
        ],
        example: [
            "from": "user:42", "to": "user:7", "amount_sat": 1000, "memo": "lunch", "idempotency_key": "tr-42-7-1",
        ]
    )

    static let accountStatement = Self(
        "account.statement", role: .readonly,
        summary: """
            One account's history, newest first: invoices, payments (pending, settled or failed), transfers in \
            and out, each with its counterparty and status; totals over the whole filtered range.
            """,
        params: [
            .required("id", .anyAccount, "the account id (a system account too)"),
            .optional("kind", .choice(AccountPayloads.statementKinds), "only this kind"),
            .optional("direction", .choice(["in", "out"]), "only money in or out"),
            .optional("from", .unixSeconds, "at or after this time"),
            .optional("to", .unixSeconds, "at or before this time"),
            .optional(
                "status", .choice(StatementStatus.allCases.map(\.rawValue)),
                "only settled postings, pending payments (held) or failed payments (nothing moved)"),
        ] + RPCParam.paging,
        result: Schema.object([
            ("items", Schema.array(Schema.anyObject)), ("next_cursor", ["type": ["string", "null"]]),
            ("totals", Schema.anyObject),
        ]),
        errors: [.accountNotFound],
        example: ["id": "user:42", "direction": "out", "limit": 20]
    )

    static let ledgerAudit = Self(
        "ledger.audit", role: .admin,
        summary: """
            Check the journal (every entry sums to zero, balances equal their postings, no account below \
            zero, no hold outlives its payment) and compare what the daemon owes with the backend's balance.
            """,
        result: Schema.ref("ledger_audit"), errors: [.backendUnavailable, .backendError]
    )
}

extension Schema {
    /// An account id a caller may choose.
    static let callerAccountID: JSONValue = ["type": "string", "pattern": .string(AccountBook.callerIDPattern)]
}
