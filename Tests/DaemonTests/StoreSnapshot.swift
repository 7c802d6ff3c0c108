import GRDB
import TestSupport

/// Every row of a daemon's SQLite store, as text by table, to compare a store before and after calls.
enum StoreSnapshot {
    /// Tables that change by themselves while the daemon runs (its liveness heartbeat).
    static let moving: Set<String> = ["instances"]

    /// The rows of every table of `daemon`'s store but the ``moving`` ones, each row as one line, by table.
    static func rows(of daemon: DaemonProcess) throws -> [String: [String]] {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: daemon.directory.file("t4gd.sqlite"), configuration: configuration)
        defer { try? pool.close() }
        return try pool.read { database in
            let tables = try String.fetchAll(
                database, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            var rows: [String: [String]] = [:]
            for table in tables where !moving.contains(table) {
                rows[table] = try Row.fetchAll(database, sql: "SELECT * FROM \"\(table)\"").map(\.description)
            }
            return rows
        }
    }
}
