import GRDB
import StoreModel

extension SQLiteStore {
    /// Appends an event on its own (for events not tied to a table change).
    public func appendEvent(_ event: NewEvent) async throws(StoreError) -> EventRecord {
        try await write("append event") { try Self.insertEvent(event, in: $0) }
    }

    /// Events with an index above `index`, oldest first, at most `limit`.
    public func events(after index: Int64, limit: Int) async throws(StoreError) -> [EventRecord] {
        try await read("read events") { database in
            try Row.fetchAll(
                database, sql: "SELECT * FROM events WHERE idx > ? ORDER BY idx LIMIT ?", arguments: [index, limit]
            ).map(EventRecord.init(row:))
        }
    }

    /// The events of one account after `index`, oldest first, at most `limit`, read through `events_account`.
    public func events(after index: Int64, account: String, limit: Int) async throws(StoreError) -> [EventRecord] {
        try await read("read events") { database in
            try Row.fetchAll(
                database,
                sql: """
                    SELECT * FROM events WHERE \(LedgerSchema.eventAccount.sqlite) = ? AND idx > ?
                    ORDER BY idx LIMIT ?
                    """,
                arguments: [account, index, limit]
            ).map(EventRecord.init(row:))
        }
    }

    /// The index of the newest event (0 when the log is empty).
    public func lastEventIndex() async throws(StoreError) -> Int64 {
        try await read("read last event") {
            try Int64.fetchOne($0, sql: "SELECT coalesce(max(idx), 0) FROM events") ?? 0
        }
    }

    /// A stored position, such as the backend's last settle index.
    public func cursor(_ name: String) async throws(StoreError) -> Int64? {
        try await read("read cursor") {
            try Int64.fetchOne($0, sql: "SELECT value FROM cursors WHERE name = ?", arguments: [name])
        }
    }

    /// Stores a position; it only moves forward.
    public func advanceCursor(_ name: String, to value: Int64) async throws(StoreError) {
        try await write("write cursor") { database in
            try database.execute(
                sql: """
                    INSERT INTO cursors (name, value) VALUES (?1, ?2)
                    ON CONFLICT (name) DO UPDATE SET value = max(value, ?2)
                    """,
                arguments: [name, value])
        }
    }

    /// Upserts the heartbeat of `instance`.
    public func recordHeartbeat(instance: String, at: Int64) async throws(StoreError) {
        try await write("record heartbeat") { database in
            try database.execute(
                sql: """
                    INSERT INTO instances (id, heartbeat_at) VALUES (?1, ?2)
                    ON CONFLICT (id) DO UPDATE SET heartbeat_at = max(heartbeat_at, ?2)
                    """,
                arguments: [instance, at])
        }
    }
}
