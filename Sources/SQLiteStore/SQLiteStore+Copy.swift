import GRDB
import StoreModel

extension SQLiteStore {
    /// Every row of `table`, in its columns' order (`row` order is SQLite's rowid: insertion order).
    public func rows(of table: StoreSchema.Table) async throws(StoreError) -> [[StoreValue]] {
        let order = table.order == "row" ? "rowid" : table.order
        return try await read("read \(table.name)") { database in
            try Row.fetchAll(
                database,
                sql: "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(order)"
            ).map { row in (0..<row.count).map { StoreValue(row[$0] as DatabaseValue) } }
        }
    }

    /// Inserts rows into `table` in one transaction (replacing, by primary key, the rows the migration seeded).
    public func insert(_ rows: [[StoreValue]], into table: StoreSchema.Table) async throws(StoreError) {
        let sql = """
            INSERT \(table.seeded ? "OR REPLACE " : "")INTO \(table.name) (\(table.columns.joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: table.columns.count).joined(separator: ", ")))
            """
        try await write("copy \(table.name)") { database in
            for row in rows {
                try database.execute(sql: sql, arguments: Self.arguments(row))
            }
        }
    }
}

extension StoreValue {
    fileprivate init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let integer): self = .integer(integer)
        case .string(let text): self = .text(text)
        case .double(let double): self = .text(String(double))
        case .blob(let data): self = .text(String(decoding: data, as: UTF8.self))
        }
    }
}
