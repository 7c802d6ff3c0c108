/// What both engines' schemas share: the list of versions (each engine has its SQL for every one) and the
/// tables a store copy (`t4gctl store migrate`) carries, with their columns.
public enum StoreSchema {
    /// Every schema version, in order. A released version is never edited: a change is a new version, added
    /// here and to both engines (`StoreMigrationTests` checks they agree).
    public static let versions = [
        "v1_invoices_payments_events", "v2_proofs", "v3_instances", "v4_wallet_identity", "v5_write_replays",
        "v6_proof_lifecycle", "v7_fiat", "v8_proof_holders", "v9_accounts", "v10_event_outbox",
        "v11_account_views", "v12_balance_shards", "v13_spend_buckets", "v14_statement_order",
    ]

    /// A table copied between engines.
    public struct Table: Sendable, Hashable {
        /// The table's name.
        public let name: String
        /// Its columns, the primary key first (rows are copied and compared in that order).
        public let columns: [String]
        /// The column rows are ordered by (the insertion order of the SQLite rowid, kept in a copy).
        public let order: String
        /// Whether the migration writes rows of its own (the system accounts): a copy replaces them, by the
        /// primary key, instead of needing the table empty.
        public var seeded = false
    }

    /// The tables of the store, parents before children. `instances` (heartbeats of running daemons) is not
    /// copied.
    public static let tables: [Table] = [
        Table(
            name: "invoices",
            columns: [
                "payment_hash", "bolt11", "label", "amount_msat", "description", "description_hash", "expiry_s",
                "status", "created_at", "expires_at", "paid_at", "amount_received_msat", "preimage", "metadata",
                "request_fingerprint", "settle_index", "fiat", "account",
            ], order: "row"),
        Table(
            name: "payments",
            columns: [
                "payment_hash", "bolt11", "status", "amount_msat", "max_fee_msat", "fee_msat", "preimage",
                "failure_reason", "idempotency_key", "created_at", "completed_at", "fiat", "account",
            ], order: "row"),
        Table(
            name: "payment_attempts",
            columns: [
                "id", "payment_hash", "started_at", "completed_at", "outcome", "failure_reason", "owner", "bolt11",
            ],
            order: "id"),
        Table(name: "events", columns: ["idx", "type", "at", "data"], order: "idx"),
        Table(name: "cursors", columns: ["name", "value"], order: "name"),
        Table(
            name: "proofs",
            columns: [
                "proof_id", "kind", "issuer", "owner", "status", "sequence", "origin", "document", "created_at",
                "updated_at", "issued_at",
            ], order: "row"),
        Table(name: "proof_holders", columns: ["holder", "proof_id", "since"], order: "holder, proof_id"),
        Table(name: "proof_fields", columns: ["proof_id", "name", "value", "salt"], order: "proof_id, name"),
        Table(
            name: "proof_transitions",
            columns: [
                "transition_id", "proof_id", "previous_id", "sequence", "new_owner", "payment_hash", "created_at",
                "state",
            ], order: "transition_id"),
        Table(name: "received_consignments", columns: ["id", "proof_id", "received_at", "document"], order: "id"),
        Table(name: "account_keys", columns: ["pubkey", "account_id"], order: "pubkey"),
        Table(
            name: "proof_signing_requests", columns: ["transition_id", "proof_id", "request", "created_at"],
            order: "transition_id"),
        Table(name: "wallet_identity", columns: ["name", "value"], order: "name"),
        Table(
            name: "write_keys", columns: ["method", "idempotency_key", "fingerprint", "object_id", "created_at"],
            order: "method, idempotency_key"),
        Table(
            name: "accounts",
            columns: [
                "id", "name", "metadata", "max_payment_msat", "daily_spend_msat", "status", "created_at",
                "request_fingerprint",
            ], order: "id", seeded: true),
        Table(name: "balances", columns: ["account", "balance_msat", "held_msat"], order: "account", seeded: true),
        Table(
            name: "balance_shards", columns: ["account", "shard", "balance_msat", "held_msat"], order: "account, shard"),
        Table(name: "ledger_entries", columns: ["id", "kind", "at", "payment_hash", "transfer_id"], order: "id"),
        Table(name: "postings", columns: ["entry_id", "account", "amount_msat", "at"], order: "entry_id, account"),
        Table(name: "spend_buckets", columns: ["account", "hour", "spent_msat"], order: "account, hour"),
        Table(name: "holds", columns: ["payment_hash", "account", "amount_msat", "created_at"], order: "payment_hash"),
        Table(
            name: "transfers",
            columns: ["transfer_id", "from_account", "to_account", "amount_msat", "memo", "created_at", "entry_id"],
            order: "transfer_id"),
    ]
}
