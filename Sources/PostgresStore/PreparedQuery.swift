import Logging
import PostgresNIO
import Synchronization

/// Runs the statements the write path repeats thousands of times a second as named prepared statements: the
/// server parses and plans each once per connection instead of at every execution (an unnamed statement is
/// parsed and planned again each time; on the paid-invoice path that was more server time than executing).
///
/// A statement is written as any other `PostgresQuery` (interpolated values become its binds); its name is
/// derived from its SQL text, so one text is one statement on each connection. Parameter types are those the
/// server infers from the statement (PostgresNIO sends none when preparing), so a prepared statement must not
/// bind a value where PostgreSQL would infer another type than the value's (a bare `$1` in a select list).
///
/// PostgresNIO keeps a failed preparation as the statement's state for the rest of the connection's life. A
/// preparation can fail for a passing reason (it waits for a table lock behind a migration's and meets the
/// transaction's `lock_timeout`; it is sent in a transaction that already failed), so a statement whose first
/// execution on a connection fails is prepared again under a new name (``Registry``) at its next use there; so is
/// one whose result rows changed type under it (`RETURNING *` after another instance's migration).
struct PreparedQuery: PostgresPreparedStatement {
    typealias Row = PostgresRow

    /// The statement being executed: PostgresNIO reads a prepared statement's name and SQL from its type, so
    /// they are handed to it through this task-local value for the duration of one execution.
    @TaskLocal private static var current: (name: String, sql: String)?

    static var name: String { current?.name ?? "" }
    static var sql: String { current?.sql ?? "" }

    private let bindings: PostgresBindings

    func makeBindings() -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }

    /// Executes `query` on `connection` as a prepared statement and returns all its rows.
    static func rows(_ query: PostgresQuery, on connection: PostgresConnection, _ logger: Logger) async throws
        -> [PostgresRandomAccessRow]
    {
        let key = Registry.Key(connection: connection.id, sql: query.sql)
        let name = registry.name(of: key)
        do {
            let rows = try await $current.withValue((name, query.sql)) {
                var rows: [PostgresRandomAccessRow] = []
                let statement = PreparedQuery(bindings: query.binds)
                for try await row in try await connection.execute(statement, logger: logger) {
                    rows.append(row.makeRandomAccess())
                }
                return rows
            }
            registry.succeeded(key)
            return rows
        } catch {
            registry.failed(key, error)
            throw error
        }
    }

    private static let registry = Registry()

    /// The name of each statement on each connection: a statement that has never run successfully on a
    /// connection gets a new name after a failure, so that a failed preparation is not kept.
    final class Registry: Sendable {
        struct Key: Hashable {
            let connection: PostgresConnection.ID
            let sql: String
        }

        private struct State {
            /// Statements whose preparation may have failed on a connection, with the generation of their name.
            var generations: [Key: Int] = [:]
            /// Statements that ran successfully on a connection (their name no longer changes there).
            var succeeded: Set<Key> = []
        }

        /// At most this many successful statements are remembered; past it the set starts again (a statement
        /// forgotten so that fails later is only prepared again under a new name).
        private static let limit = 4_096

        private let state = Mutex(State())

        func name(of key: Key) -> String {
            let generation = state.withLock { $0.generations[key] ?? 0 }
            return "t4g_\(Self.fingerprint(key.sql))_\(generation)"
        }

        func succeeded(_ key: Key) {
            state.withLock { state in
                guard !state.succeeded.contains(key) else { return }
                if state.succeeded.count >= Self.limit { state.succeeded.removeAll(keepingCapacity: true) }
                state.succeeded.insert(key)
            }
        }

        /// Records that `key` failed with `error`: its next execution prepares it again under a new name unless
        /// it has run successfully on that connection before, or when the server refused to run it with the row
        /// type it was prepared with (a migration of another instance changed a table it returns `*` of).
        func failed(_ key: Key, _ error: any Error) {
            let rowTypeChanged = (error as? PSQLError)?.serverInfo?[.sqlState] == "0A000"
            state.withLock { state in
                guard rowTypeChanged || !state.succeeded.contains(key) else { return }
                state.succeeded.remove(key)
                state.generations[key, default: 0] += 1
            }
        }

        /// FNV-1a of `sql`, in hexadecimal (a statement name is at most 63 bytes).
        private static func fingerprint(_ sql: String) -> String {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in sql.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            return String(hash, radix: 16)
        }
    }
}

extension PostgresConnection {
    /// Runs `query` as a named prepared statement (``PreparedQuery``) and returns all its rows.
    func preparedRows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await PreparedQuery.rows(query, on: self, logger)
    }
}
