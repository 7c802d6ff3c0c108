import PostgresNIO
import StoreModel

extension PostgresStore {
    /// Every row of `table`, in its columns' order (`row` order is `row_id`: the order rows were inserted).
    /// `events` are read after the outbox is indexed, so a copy holds every event written.
    package func rows(of table: StoreSchema.Table) async throws(StoreError) -> [[StoreValue]] {
        if table.name == "events" { try await indexOutbox() }
        let order = table.order == "row" ? "row_id" : table.order
        let sql = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(order)"
        return try await onConnection("read \(table.name)") { connection in
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
            return try rows.map { row in try row.map(StoreValue.init(cell:)) }
        }
    }

    /// Inserts rows into `table` in one transaction (an `id` identity then continues after the copied ids; rows
    /// the migration seeded are replaced by primary key).
    package func insert(_ rows: [[StoreValue]], into table: StoreSchema.Table) async throws(StoreError) {
        let placeholders = (1...table.columns.count).map { "$\($0)" }.joined(separator: ", ")
        var sql = "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES (\(placeholders))"
        if table.seeded {
            let updates = table.columns.dropFirst().map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
            sql += " ON CONFLICT (\(table.columns[0])) DO UPDATE SET \(updates)"
        }
        try await transaction("copy \(table.name)") { connection in
            for row in rows {
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: Self.bindings(row)), logger: logger)
            }
            // Copied ids are explicit: an integer identity must continue after them (an account's text id is none).
            guard let column = table.columns.firstIndex(of: "id"), case .integer? = rows.first?[column] else { return }
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'),
                            (SELECT coalesce(max(id), 0) + 1 FROM \(table.name)), false)
                        """), logger: logger)
        }
    }
}

extension PostgresStore {
    /// Indexes every event still in the outbox (as the sequencer would), waiting up to ``indexPatience`` for
    /// transactions still running that hold some back.
    func indexOutbox() async throws(StoreError) {
        let deadline = ContinuousClock.now + Self.indexPatience
        try await onConnection("index the event outbox") { connection in
            while true {
                guard try await EventSequencer.sequenceBatch(on: connection, logger).isEmpty else { continue }
                guard try await EventSequencer.hasUnindexed(on: connection, logger) else { return }
                guard ContinuousClock.now < deadline else {
                    throw StoreError(.database, "events in the outbox stay unindexed behind a running transaction")
                }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }
}

extension StoreValue {
    fileprivate init(cell: PostgresCell) throws {
        switch cell.dataType {
        case .int8, .int4, .int2: self = try cell.decode(Int64?.self).map(StoreValue.integer) ?? .null
        default: self = try cell.decode(String?.self).map(StoreValue.text) ?? .null
        }
    }
}
