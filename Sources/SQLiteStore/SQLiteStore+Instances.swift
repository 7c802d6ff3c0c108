import GRDB
import StoreModel

extension SQLiteStore {
    /// One process serves a SQLite store (the data dir lock keeps a second one out): forgets the heartbeats of
    /// earlier processes of `name`, so this one resolves their open attempts at once.
    public func claimInstanceName(_ name: String, owner: String) async throws(StoreError) {
        try await write("claim instance name") { database in
            try database.execute(
                sql: """
                    DELETE FROM instances
                    WHERE id <> ?1 AND (id = ?2 OR substr(id, 1, length(?2) + 1) = ?2 || '/')
                    """,
                arguments: [owner, name])
        }
    }

    /// The owners whose last heartbeat is at or after `aliveSince`, sorted.
    public func liveInstances(aliveSince: Int64) async throws(StoreError) -> [String] {
        try await read("read live instances") {
            try String.fetchAll(
                $0, sql: "SELECT id FROM instances WHERE heartbeat_at >= ? ORDER BY id", arguments: [aliveSince])
        }
    }

    /// The wallet identity recorded under `name`, recording `value` first when there is none.
    public func walletIdentity(_ name: String, recordingIfAbsent value: String) async throws(StoreError) -> String {
        try await write("record wallet identity") { database in
            try database.execute(
                sql: "INSERT INTO wallet_identity (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                arguments: [name, value])
            return try String.fetchOne(
                database, sql: "SELECT value FROM wallet_identity WHERE name = ?", arguments: [name]) ?? value
        }
    }
}
