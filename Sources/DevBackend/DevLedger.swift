import GRDB
import GroupCommit
import Lightning

/// The shared SQLite file of a dev network: the nodes and their balances, the invoices they issued and the
/// payments between them. Every daemon of the network opens the same file; SQLite's locking makes each
/// payment one atomic transaction across processes.
struct DevLedger: Sendable {
    let database: DatabasePool
    /// Group commits for this daemon's writes (other daemons on the file commit on their own).
    let writer: GroupCommitWriter

    init(path: String) throws(BackendError) {
        var options = Configuration()
        options.busyMode = .timeout(10)
        options.prepareDatabase { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        do {
            database = try DatabasePool(path: path, configuration: options)
            try Self.migrator.migrate(database)
        } catch {
            throw BackendError(.unavailable, "dev ledger \(path) cannot be opened")
        }
        writer = GroupCommitWriter(database: database, label: "t4gd.dev-ledger.writer")
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_ledger") { database in
            try database.execute(
                sql: """
                    CREATE TABLE nodes (
                        pubkey TEXT PRIMARY KEY NOT NULL,
                        alias TEXT NOT NULL,
                        balance_msat INTEGER NOT NULL CHECK (balance_msat >= 0),
                        funded_msat INTEGER NOT NULL CHECK (funded_msat >= 0),
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE invoices (
                        payment_hash TEXT PRIMARY KEY NOT NULL,
                        payee TEXT NOT NULL REFERENCES nodes (pubkey),
                        amount_msat INTEGER CHECK (amount_msat IS NULL OR amount_msat > 0),
                        preimage TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'canceled')),
                        expires_at INTEGER NOT NULL,
                        paid_at INTEGER,
                        amount_received_msat INTEGER,
                        settle_index INTEGER UNIQUE
                    );
                    CREATE INDEX invoices_payee_settle ON invoices (payee, settle_index);
                    CREATE TABLE payments (
                        payment_hash TEXT PRIMARY KEY NOT NULL REFERENCES invoices (payment_hash),
                        payer TEXT NOT NULL REFERENCES nodes (pubkey),
                        amount_msat INTEGER NOT NULL CHECK (amount_msat > 0),
                        fee_msat INTEGER NOT NULL CHECK (fee_msat >= 0),
                        paid_at INTEGER NOT NULL
                    );
                    CREATE TABLE fees (id INTEGER PRIMARY KEY CHECK (id = 1), collected_msat INTEGER NOT NULL);
                    INSERT INTO fees (id, collected_msat) VALUES (1, 0);
                    """)
        }
        return migrator
    }
}
