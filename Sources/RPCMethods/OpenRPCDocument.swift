import DaemonConfig
import JSONRPC
import Store

/// Builds the OpenRPC document that `rpc.discover` returns (and docs/api.md renders), from the method
/// declarations themselves, so the published contract cannot drift from the code.
enum OpenRPCDocument {
    /// The document of every declared method (``RPCMethod/Declaration/all``).
    static var complete: JSONValue { make(RPCMethod.Declaration.all) }

    static func make(_ methods: [RPCMethod.Declaration]) -> JSONValue {
        [
            "openrpc": "1.2.6",
            "info": [
                "title": "t4gd", "version": .string(DaemonComponents.version),
                "description":
                    "Lightning payments and proof contracts over a JSON-RPC 2.0 Unix socket (one JSON text per line).",
                "x-roles": .array(
                    DaemonConfiguration.Role.allCases.map { role in
                        ["name": .string(role.rawValue), "summary": .string(role.summary)]
                    }),
            ],
            "methods": .array(methods.sorted { $0.name < $1.name }.map(method)),
            "components": ["schemas": .object(schemas)],
        ]
    }

    private static func method(_ method: RPCMethod.Declaration) -> JSONValue {
        [
            "name": .string(method.name),
            "summary": .string(method.summary),
            "paramStructure": "by-name",
            "x-role": .string(method.role.rawValue),
            "params": .array(
                method.params.map { param in
                    [
                        "name": .string(param.name), "required": .bool(param.required),
                        "summary": .string(param.summary), "schema": param.schema,
                    ]
                }),
            "result": ["name": "result", "schema": method.result],
            "errors": .array(
                (standardErrors + method.errors).map { reason in
                    [
                        "code": .integer(Int64(reason.code)), "message": .string(reason.message),
                        "data": errorData(reason),
                    ]
                }),
            "examples": [example(method)],
        ]
    }

    /// One example pairing (OpenRPC): a request's params and the shape of its answer, with illustrative values.
    private static func example(_ method: RPCMethod.Declaration) -> JSONValue {
        let components = schemas
        return [
            "name": .string("\(method.name) example"),
            "params": .array(
                Example.params(of: method, schemas: components).map { ["name": .string($0.key), "value": $0.value] }),
            "result": ["name": "result", "value": Example.value(of: method.result, named: "result", in: components)],
        ]
    }

    /// An error's `data`: its reason, and the names of the fields it adds (`existing`: the object a conflict
    /// is about, as its `get` method returns it).
    private static func errorData(_ reason: RPCErrorReason) -> JSONValue {
        var data: JSONObject = ["reason": .string(reason.name)]
        if !reason.dataFields.isEmpty { data["x-fields"] = .array(reason.dataFields.map(JSONValue.string)) }
        return .object(data)
    }

    /// Errors any method can answer.
    private static let standardErrors: [RPCErrorReason] = [
        .invalidParams, .internalError, .unauthorized, .overloaded, .rateLimited, .shuttingDown,
    ]

    private static let nullableString: JSONValue = ["type": ["string", "null"]]
    private static let nullableInteger: JSONValue = ["type": ["integer", "null"]]

    private static let accountSchema: JSONValue = {
        let money: [(String, JSONValue)] = ["balance", "held", "available"].flatMap { name in
            [
                (name + "_msat", Schema.integer(Int64.min, Int64.max)),
                (name + "_sat", Schema.integer(Int64.min, Int64.max)),
            ]
        }
        let head: [(String, JSONValue)] = [
            ("id", Schema.string), ("name", nullableString),
            ("status", Schema.oneOf(AccountStatus.allCases.map(\.rawValue))),
        ]
        let tail: [(String, JSONValue)] = [
            ("limits", Schema.object([("max_payment_msat", nullableInteger), ("daily_spend_msat", nullableInteger)])),
            ("spent_24h_msat", Schema.integer(0, Int64.max)),
            ("metadata", ["type": ["object", "null"]]), ("created_at", Schema.integer(0, Int64.max)),
        ]
        return Schema.object(head + money + tail)
    }()

    private static let transferSchema: JSONValue = Schema.object([
        ("transfer_id", Schema.string), ("from", Schema.callerAccountID), ("to", Schema.callerAccountID),
        ("amount_msat", Schema.msat), ("memo", nullableString), ("created_at", Schema.integer(0, Int64.max)),
        ("entry_id", Schema.integer(1, Int64.max)),
    ])

    private static let ledgerAuditSchema: JSONValue = Schema.object([
        ("clean", Schema.boolean), ("entries", Schema.integer(0, Int64.max)),
        ("postings", Schema.integer(0, Int64.max)),
        ("unbalanced_entries", Schema.array(Schema.integer(1, Int64.max))),
        ("mismatched_accounts", Schema.array(Schema.string)), ("negative_accounts", Schema.array(Schema.string)),
        ("stale_holds", Schema.array(Schema.hex32)), ("liabilities_msat", Schema.integer(Int64.min, Int64.max)),
        ("node_msat", Schema.integer(Int64.min, Int64.max)), ("backend_balance_msat", nullableInteger),
        ("surplus_msat", nullableInteger),
    ])

    private static var schemas: JSONObject {
        [
            "invoice": Schema.object([
                ("payment_hash", Schema.hex32), ("bolt11", Schema.string), ("label", nullableString),
                ("amount_msat", nullableInteger), ("description", nullableString), ("description_hash", nullableString),
                ("status", Schema.oneOf(["open", "paid", "expired", "canceled"])),
                ("created_at", Schema.integer(0, Int64.max)),
                ("expires_at", Schema.integer(0, Int64.max)), ("paid_at", nullableInteger),
                ("amount_received_msat", nullableInteger), ("preimage", nullableString),
                ("metadata", ["type": ["object", "null"]]), ("account", Schema.string),
            ]),
            "payment": Schema.object([
                ("payment_hash", Schema.hex32), ("bolt11", Schema.string),
                ("status", Schema.oneOf(["pending", "succeeded", "failed"])), ("amount_msat", Schema.msat),
                ("fee_msat", nullableInteger), ("preimage", nullableString), ("failure_reason", nullableString),
                ("created_at", Schema.integer(0, Int64.max)), ("completed_at", nullableInteger),
                ("idempotency_key", nullableString), ("account", Schema.string),
            ]),
            "account": accountSchema, "transfer": transferSchema, "ledger_audit": ledgerAuditSchema,
            "event": Schema.object([
                ("index", Schema.integer(1, Int64.max)), ("type", Schema.string), ("at", Schema.integer(0, Int64.max)),
                ("data", Schema.anyObject),
            ]),
            "transaction": Schema.object([
                ("direction", Schema.oneOf(["incoming", "outgoing"])), ("payment_hash", Schema.hex32),
                ("amount_msat", Schema.msat), ("fee_msat", Schema.integer(0, Int64.max)), ("status", Schema.string),
                ("at", Schema.integer(0, Int64.max)), ("label", nullableString), ("description", nullableString),
                ("counterparty", nullableString), ("metadata", ["type": ["object", "null"]]),
            ]),
            "transaction_totals": Schema.object([
                ("in_msat", Schema.integer(0, Int64.max)), ("out_msat", Schema.integer(0, Int64.max)),
                ("fees_msat", Schema.integer(0, Int64.max)), ("count", Schema.integer(0, Int64.max)),
            ]),
            "proof": Schema.object([
                ("proof_id", Schema.hex32), ("kind", Schema.string), ("issuer", Schema.hex32), ("owner", Schema.hex32),
                ("owner_account", nullableString), ("status", Schema.oneOf(DaemonComponents.proofStatuses)),
                ("sequence", Schema.integer(0, Int64.max)), ("origin", Schema.oneOf(["issued", "imported"])),
                ("fields", ["type": "object", "additionalProperties": Schema.string]),
                ("created_at", Schema.integer(0, Int64.max)), ("updated_at", Schema.integer(0, Int64.max)),
                ("issued_at", Schema.integer(0, Int64.max)),
                ("pending_transfer", ["type": ["object", "null"]]),
            ]),
            "verification": Schema.object([
                ("valid", Schema.boolean), ("proof_id", Schema.hex32), ("failed_rules", Schema.array(Schema.string)),
                ("failures", Schema.array(Schema.anyObject)), ("owner", Schema.hex32), ("status", Schema.string),
                ("issuer", Schema.hex32), ("issuer_trusted", Schema.boolean), ("kind", Schema.string),
                ("sequence", Schema.integer(0, Int64.max)), ("disclosed_fields", Schema.anyObject),
                ("expires_at", nullableInteger), ("missing_attesters", Schema.array(Schema.hex32)),
                ("redemption", ["type": ["object", "null"]]), ("revoked_at", nullableInteger),
            ]),
            "decoded_invoice": Schema.object([
                ("network", Schema.oneOf(["mainnet", "testnet", "signet", "regtest"])),
                ("amount_msat", nullableInteger),
                ("timestamp", Schema.integer(0, Int64.max)), ("expiry", Schema.integer(0, Int64.max)),
                ("expires_at", Schema.integer(0, Int64.max)), ("payment_hash", Schema.hex32),
                ("payment_secret", nullableString), ("description", nullableString),
                ("description_hash", nullableString),
                ("payee", Schema.string), ("min_final_cltv_expiry", Schema.integer(0, Int64.max)),
                ("fallbacks", Schema.array(Schema.string)),
                ("route_hints", Schema.array(Schema.array(Schema.anyObject))),
                ("features", Schema.array(Schema.integer(0, 1023))), ("metadata", nullableString),
                ("signature", Schema.string), ("recovery_id", Schema.integer(0, 3)),
                ("warnings", Schema.array(Schema.string)),
            ]),
        ]
    }
}
