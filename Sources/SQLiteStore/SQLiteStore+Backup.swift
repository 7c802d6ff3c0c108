import GRDB
import StoreModel

extension SQLiteStore {
    /// Writes a consistent copy of the whole store to `path` while the daemon keeps serving: SQLite's online
    /// backup reads one snapshot, so the copy holds every transaction committed before it began and none after.
    /// The copy runs on a Dispatch thread.
    public func backup(to path: String) async throws(StoreError) {
        try await Self.offCooperativePool { () throws(StoreError) in
            try self.perform("backup") {
                let destination = try DatabaseQueue(path: path)
                defer { try? destination.close() }
                try self.database.backup(to: destination)
            }
        }
    }

    /// Opens the store copy at `path` without migrating it and checks it: integrity, newest event, migrations.
    package static func inspectCopy(at path: String) throws(StoreError) -> StoreCopySummary {
        do {
            let copy = try DatabaseQueue(path: path)
            defer { try? copy.close() }
            return try copy.read { database in
                StoreCopySummary(
                    integrityOK: try String.fetchOne(database, sql: "PRAGMA integrity_check") == "ok",
                    lastEventIndex: try Int64.fetchOne(database, sql: "SELECT coalesce(max(idx), 0) FROM events") ?? 0,
                    migrations: try SQLiteMigrations.migrator.appliedMigrations(database))
            }
        } catch {
            throw StoreError(.database, "cannot read the store copy \(path): \(reason(error))")
        }
    }
}
