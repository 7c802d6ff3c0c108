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
        let name = registry.name(of: query.sql, on: connection)
        do {
            let rows = try await $current.withValue((name, query.sql)) {
                var rows: [PostgresRandomAccessRow] = []
                let statement = PreparedQuery(bindings: query.binds)
                for try await row in try await connection.execute(statement, logger: logger) {
                    rows.append(row.makeRandomAccess())
                }
                return rows
            }
            registry.succeeded(query.sql, on: connection)
            return rows
        } catch {
            registry.failed(query.sql, on: connection, error)
            throw error
        }
    }

    private static let registry = Registry()

    /// The name of each statement on each connection: a statement that has never run successfully on a
    /// connection gets a new name after a failure, so that a failed preparation is not kept.
    ///
    /// Connections are told apart by identity, not by `PostgresConnection.id`: each pool numbers its
    /// connections from the start, so two stores of one process (a test's instances) have connections with one
    /// id, and a statement that succeeded on one would have been taken as prepared on the other. A connection's
    /// statements are forgotten when it closes, before its object can be freed and its identity reused.
    final class Registry: Sendable {
        /// What is known of the statements of one connection.
        private struct Statements {
            /// Statements whose preparation may have failed, with the generation of their name.
            var generations: [String: Int] = [:]
            /// Statements that ran successfully (their name no longer changes).
            var succeeded: Set<String> = []
        }

        private let connections = Mutex([ObjectIdentifier: Statements]())

        /// The name under which `sql` is prepared on `connection`.
        func name(of sql: String, on connection: PostgresConnection) -> String {
            let key = ObjectIdentifier(connection)
            let (generation, isNew) = connections.withLock { connections in
                guard let statements = connections[key] else {
                    connections[key] = Statements()
                    return (0, true)
                }
                return (statements.generations[sql] ?? 0, false)
            }
            if isNew { connection.closeFuture.whenComplete { [weak self] _ in self?.forget(key) } }
            return "t4g_\(Self.fingerprint(sql))_\(generation)"
        }

        func succeeded(_ sql: String, on connection: PostgresConnection) {
            _ = connections.withLock { $0[ObjectIdentifier(connection)]?.succeeded.insert(sql) }
        }

        /// Records that `sql` failed on `connection` with `error`: its next execution there prepares it again
        /// under a new name unless it has run successfully on that connection before, or when the server refused
        /// to run it with the row type it was prepared with (a migration of another instance changed a table it
        /// returns `*` of).
        func failed(_ sql: String, on connection: PostgresConnection, _ error: any Error) {
            let rowTypeChanged = (error as? PSQLError)?.serverInfo?[.sqlState] == "0A000"
            connections.withLock { connections in
                guard var statements = connections[ObjectIdentifier(connection)],
                    rowTypeChanged || !statements.succeeded.contains(sql)
                else { return }
                statements.succeeded.remove(sql)
                statements.generations[sql, default: 0] += 1
                connections[ObjectIdentifier(connection)] = statements
            }
        }

        private func forget(_ connection: ObjectIdentifier) {
            _ = connections.withLock { $0.removeValue(forKey: connection) }
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
