import PostgresNIO
import StoreModel

extension PostgresStore {
    /// Appends an event on its own.
    package func appendEvent(_ event: NewEvent) async throws(StoreError) -> EventRecord {
        try await indexed(
            write("append event", writesOnce: true) { [logger] connection in
                try await EventOutbox.insert(event, on: connection, logger)
            }
        )
    }

    /// Events with an index above `index`, oldest first, at most `limit`.
    package func events(after index: Int64, limit: Int) async throws(StoreError) -> [EventRecord] {
        try await onConnection("read events") { connection in
            try await connection.rows("SELECT * FROM events WHERE idx > \(index) ORDER BY idx LIMIT \(limit)", logger)
                .map(EventRecord.init(row:))
        }
    }

    /// The events of one account after `index`, oldest first, at most `limit`, read through `events_account`.
    package func events(after index: Int64, account: String, limit: Int) async throws(StoreError) -> [EventRecord] {
        try await onConnection("read events") { connection in
            try await connection.rows(
                """
                SELECT * FROM events WHERE \(unescaped: LedgerSchema.eventAccount.postgres) = \(account)
                    AND idx > \(index)
                ORDER BY idx LIMIT \(limit)
                """, logger
            ).map(EventRecord.init(row:))
        }
    }

    /// The index of the newest event (0 when the log is empty).
    package func lastEventIndex() async throws(StoreError) -> Int64 {
        try await onConnection("read last event") { connection in
            try await connection.rows("SELECT coalesce(max(idx), 0) AS idx FROM events", logger).first?.integer("idx")
                ?? 0
        }
    }

    /// A stored position, such as the backend's last settle index.
    package func cursor(_ name: String) async throws(StoreError) -> Int64? {
        try await onConnection("read cursor") { connection in
            try await connection.rows("SELECT value FROM cursors WHERE name = \(name)", logger).first?.integer("value")
        }
    }

    /// Stores a position; it only moves forward.
    package func advanceCursor(_ name: String, to value: Int64) async throws(StoreError) {
        try await onConnection("write cursor") { connection in
            _ = try await connection.preparedRows(
                """
                INSERT INTO cursors (name, value) VALUES (\(name), \(value))
                ON CONFLICT (name) DO UPDATE SET value = greatest(cursors.value, excluded.value)
                """, logger)
        }
    }

    /// Upserts the heartbeat of `instance`, then takes the instance name's lock again if its connection was
    /// lost (``keepInstanceName()``: `instanceNameTaken` when another process took the name meanwhile; the
    /// heartbeat is recorded all the same, so this process's attempts stay its own).
    package func recordHeartbeat(instance: String, at: Int64) async throws(StoreError) {
        try await onConnection("record heartbeat") { connection in
            _ = try await connection.query(
                """
                INSERT INTO instances (id, heartbeat_at) VALUES (\(instance), \(at))
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = greatest(instances.heartbeat_at, excluded.heartbeat_at)
                """, logger: logger)
        }
        try await keepInstanceName()
    }

    /// Counts invoices, payments and proofs by status.
    package func statusCounts() async throws(StoreError) -> StatusCounts {
        try await onConnection("count by status") { connection in
            func counts(_ table: String) async throws -> [String: Int64] {
                let rows = try await connection.rows(
                    PostgresQuery(unsafeSQL: "SELECT status, count(*) AS n FROM \(table) GROUP BY status"), logger)
                return Dictionary(
                    uniqueKeysWithValues: try rows.map { (try $0.requiredText("status"), try $0.requiredInteger("n")) })
            }
            return StatusCounts(
                invoices: try await counts("invoices"), payments: try await counts("payments"),
                proofs: try await counts("proofs"))
        }
    }
}
