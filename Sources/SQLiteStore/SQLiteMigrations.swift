import GRDB
import StoreModel

/// The SQLite SQL of every version of ``StoreSchema/versions``, in order. A migration, once released, is never
/// edited: a change is a new migration. `StoreMigrationTests` checks each one and that both engines agree.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_invoices_payments_events") { database in
            try database.execute(
                sql: """
                    CREATE TABLE invoices (
                        payment_hash TEXT PRIMARY KEY NOT NULL CHECK (length(payment_hash) = 64),
                        bolt11 TEXT NOT NULL,
                        label TEXT UNIQUE,
                        amount_msat INTEGER CHECK (amount_msat IS NULL OR amount_msat > 0),
                        description TEXT,
                        description_hash TEXT,
                        expiry_s INTEGER NOT NULL CHECK (expiry_s > 0),
                        status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'expired', 'canceled')),
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        paid_at INTEGER,
                        amount_received_msat INTEGER CHECK (amount_received_msat IS NULL OR amount_received_msat > 0),
                        preimage TEXT CHECK (preimage IS NULL OR length(preimage) = 64),
                        metadata TEXT,
                        request_fingerprint TEXT NOT NULL,
                        settle_index INTEGER,
                        CHECK (status != 'paid' OR (paid_at IS NOT NULL AND amount_received_msat IS NOT NULL))
                    );
                    CREATE INDEX invoices_status_created ON invoices (status, created_at);
                    CREATE INDEX invoices_open_expiry ON invoices (expires_at) WHERE status = 'open';

                    CREATE TABLE payments (
                        payment_hash TEXT PRIMARY KEY NOT NULL CHECK (length(payment_hash) = 64),
                        bolt11 TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
                        amount_msat INTEGER NOT NULL CHECK (amount_msat > 0),
                        max_fee_msat INTEGER NOT NULL CHECK (max_fee_msat >= 0),
                        fee_msat INTEGER CHECK (fee_msat IS NULL OR fee_msat >= 0),
                        preimage TEXT CHECK (preimage IS NULL OR length(preimage) = 64),
                        failure_reason TEXT,
                        idempotency_key TEXT UNIQUE,
                        created_at INTEGER NOT NULL,
                        completed_at INTEGER,
                        CHECK (status != 'succeeded' OR preimage IS NOT NULL),
                        CHECK (status != 'failed' OR failure_reason IS NOT NULL)
                    );
                    CREATE INDEX payments_status_created ON payments (status, created_at);

                    CREATE TABLE payment_attempts (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        payment_hash TEXT NOT NULL REFERENCES payments (payment_hash),
                        started_at INTEGER NOT NULL,
                        completed_at INTEGER,
                        outcome TEXT CHECK (outcome IS NULL OR outcome IN ('succeeded', 'failed')),
                        failure_reason TEXT
                    );
                    CREATE INDEX payment_attempts_hash ON payment_attempts (payment_hash);
                    CREATE UNIQUE INDEX payment_attempts_one_open ON payment_attempts (payment_hash)
                        WHERE completed_at IS NULL;

                    CREATE TABLE events (
                        idx INTEGER PRIMARY KEY AUTOINCREMENT,
                        type TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        data TEXT NOT NULL
                    );

                    CREATE TABLE cursors (
                        name TEXT PRIMARY KEY NOT NULL,
                        value INTEGER NOT NULL CHECK (value >= 0)
                    );
                    """)
        }
        migrator.registerMigration("v2_proofs") { database in
            try database.execute(
                sql: """
                    CREATE TABLE proofs (
                        proof_id TEXT PRIMARY KEY NOT NULL CHECK (length(proof_id) = 64),
                        kind TEXT NOT NULL,
                        issuer TEXT NOT NULL CHECK (length(issuer) = 64),
                        owner TEXT NOT NULL CHECK (length(owner) = 64),
                        status TEXT NOT NULL CHECK (status IN ('active', 'transfer_pending')),
                        sequence INTEGER NOT NULL CHECK (sequence >= 0),
                        origin TEXT NOT NULL CHECK (origin IN ('issued', 'imported')),
                        document TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX proofs_owner ON proofs (owner);
                    CREATE INDEX proofs_kind_status ON proofs (kind, status);

                    CREATE TABLE proof_fields (
                        proof_id TEXT NOT NULL REFERENCES proofs (proof_id),
                        name TEXT NOT NULL,
                        value TEXT NOT NULL,
                        salt TEXT NOT NULL CHECK (length(salt) = 64),
                        PRIMARY KEY (proof_id, name)
                    );

                    CREATE TABLE proof_transitions (
                        transition_id TEXT PRIMARY KEY NOT NULL CHECK (length(transition_id) = 64),
                        proof_id TEXT NOT NULL REFERENCES proofs (proof_id),
                        previous_id TEXT NOT NULL CHECK (length(previous_id) = 64),
                        sequence INTEGER NOT NULL CHECK (sequence >= 1),
                        new_owner TEXT NOT NULL CHECK (length(new_owner) = 64),
                        payment_hash TEXT CHECK (payment_hash IS NULL OR length(payment_hash) = 64),
                        created_at INTEGER NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'final', 'canceled'))
                    );
                    -- Single use: one live transition per state. A canceled one (its invoice expired) frees it.
                    CREATE UNIQUE INDEX proof_transitions_single_use ON proof_transitions (proof_id, previous_id)
                        WHERE state != 'canceled';
                    CREATE INDEX proof_transitions_pending_payment ON proof_transitions (payment_hash)
                        WHERE state = 'pending';
                    CREATE INDEX proof_transitions_proof ON proof_transitions (proof_id, sequence);

                    CREATE TABLE received_consignments (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        proof_id TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        document TEXT NOT NULL
                    );

                    CREATE TABLE account_keys (
                        pubkey TEXT PRIMARY KEY NOT NULL CHECK (length(pubkey) = 64),
                        account_id TEXT NOT NULL UNIQUE
                    );

                    CREATE TABLE proof_signing_requests (
                        transition_id TEXT PRIMARY KEY NOT NULL,
                        proof_id TEXT NOT NULL REFERENCES proofs (proof_id),
                        request TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3_instances") { database in
            try database.execute(
                sql: """
                    CREATE TABLE instances (
                        id TEXT PRIMARY KEY NOT NULL,
                        heartbeat_at INTEGER NOT NULL
                    );
                    ALTER TABLE payment_attempts ADD COLUMN owner TEXT;
                    """)
        }
        migrator.registerMigration("v4_wallet_identity") { database in
            try database.execute(
                sql: """
                    CREATE TABLE wallet_identity (
                        name TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v5_write_replays") { database in
            try database.execute(
                sql: """
                    ALTER TABLE payment_attempts ADD COLUMN bolt11 TEXT;

                    CREATE TABLE write_keys (
                        method TEXT NOT NULL,
                        idempotency_key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        object_id TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (method, idempotency_key)
                    );
                    """)
        }
        // SQLite cannot change a CHECK constraint: the proofs table is rebuilt, keeping each row's rowid (the
        // proof.list cursor and its newest-first order), and foreign keys are checked once, at the end.
        migrator.registerMigration("v6_proof_lifecycle") { database in
            try database.execute(
                sql: """
                    CREATE TABLE proofs_lifecycle (
                        proof_id TEXT PRIMARY KEY NOT NULL CHECK (length(proof_id) = 64),
                        kind TEXT NOT NULL,
                        issuer TEXT NOT NULL CHECK (length(issuer) = 64),
                        owner TEXT NOT NULL CHECK (length(owner) = 64),
                        status TEXT NOT NULL CHECK (status IN (
                            'active', 'transfer_pending', 'incomplete', 'redeemed', 'revoked', 'expired')),
                        sequence INTEGER NOT NULL CHECK (sequence >= 0),
                        origin TEXT NOT NULL CHECK (origin IN ('issued', 'imported')),
                        document TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    INSERT INTO proofs_lifecycle (rowid, proof_id, kind, issuer, owner, status, sequence, origin,
                        document, created_at, updated_at)
                        SELECT rowid, proof_id, kind, issuer, owner, status, sequence, origin, document, created_at,
                            updated_at FROM proofs;
                    DROP TABLE proofs;
                    ALTER TABLE proofs_lifecycle RENAME TO proofs;
                    CREATE INDEX proofs_owner ON proofs (owner);
                    CREATE INDEX proofs_kind_status ON proofs (kind, status);
                    """)
        }
        migrator.registerMigration("v7_fiat") { database in
            try database.execute(
                sql: "ALTER TABLE invoices ADD COLUMN fiat TEXT; ALTER TABLE payments ADD COLUMN fiat TEXT;")
        }
        // Every key that ever owned a proof, earliest first (INSERT OR IGNORE keeps the first `since`): the
        // initial owner in the genesis, each final transition's new owner, then the current owner.
        migrator.registerMigration("v8_proof_holders") { database in
            try database.execute(
                sql: """
                    ALTER TABLE proofs ADD COLUMN issued_at INTEGER NOT NULL DEFAULT 0;
                    UPDATE proofs SET issued_at = COALESCE(json_extract(document, '$.genesis.issued_at'), created_at);
                    CREATE INDEX proofs_issued_at ON proofs (issued_at);

                    CREATE TABLE proof_holders (
                        holder TEXT NOT NULL CHECK (length(holder) = 64),
                        proof_id TEXT NOT NULL REFERENCES proofs (proof_id),
                        since INTEGER NOT NULL,
                        PRIMARY KEY (holder, proof_id)
                    );
                    INSERT OR IGNORE INTO proof_holders (holder, proof_id, since)
                        SELECT json_extract(document, '$.genesis.owner'), proof_id, issued_at FROM proofs
                        WHERE length(json_extract(document, '$.genesis.owner')) = 64;
                    INSERT OR IGNORE INTO proof_holders (holder, proof_id, since)
                        SELECT new_owner, proof_id, created_at FROM proof_transitions WHERE state = 'final'
                        ORDER BY sequence;
                    INSERT OR IGNORE INTO proof_holders (holder, proof_id, since)
                        SELECT owner, proof_id, updated_at FROM proofs;
                    """)
        }
        migrator.registerMigration("v9_accounts") { database in
            try database.execute(sql: LedgerSchema.sqlite)
        }
        // PostgreSQL's event outbox (several instances index events through one sequencer). SQLite has one
        // writer, which indexes each event in the transaction of its state change, so this version changes
        // nothing here; it keeps both engines at the same version list.
        migrator.registerMigration("v10_event_outbox") { _ in }
        migrator.registerMigration("v11_account_views") { database in
            try database.execute(sql: LedgerSchema.accountViews.sqlite)
        }
        // The system accounts' balance shards: written only by PostgreSQL, read by both (see `BalanceShards`).
        migrator.registerMigration("v12_balance_shards") { database in
            try database.execute(sql: BalanceShards.schema)
        }
        migrator.registerMigration("v13_spend_buckets") { database in
            try database.execute(sql: SpendBuckets.schema(now: "CAST(strftime('%s', 'now') AS INTEGER)"))
        }
        migrator.registerMigration("v14_statement_order") { database in
            try database.execute(sql: LedgerSchema.statementOrder)
        }
        return migrator
    }
}
