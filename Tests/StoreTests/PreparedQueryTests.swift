import PostgresNIO
import Store
import TestSupport
import Testing

@testable import PostgresStore

/// Prepared statements of the write path: a preparation that failed for a passing reason, or a statement whose
/// rows changed type, does not stay broken on its connection.
@Suite struct PreparedQueryTests {
    let directory = TemporaryDirectory()

    /// Runs `body` on one connection of a new PostgreSQL database.
    func onConnection(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Void) async throws {
        defer { directory.remove() }
        let store = try await Store(
            configuration: .init(
                location: try StoreLocation(url: try await StoreEngines.url("postgres", in: directory)),
                instance: "prepared"))
        let postgres = try #require(store.base as? PostgresStore)
        try await postgres.client.withConnection { connection in try await body(connection, postgres.logger) }
    }

    @Test func aPreparationThatFailedInAFailedTransactionIsPreparedAgain() async throws {
        try await onConnection { connection, logger in
            try await connection.query("CREATE TABLE items (id int PRIMARY KEY)", logger: logger)
            let insert: PostgresQuery = "INSERT INTO items VALUES (\(Int32(1))) RETURNING id"
            // Prepared for the first time inside a transaction that already failed: the preparation fails.
            try await connection.query("BEGIN", logger: logger)
            await #expect(throws: PSQLError.self) { try await connection.query("SELECT 1/0", logger: logger) }
            await #expect(throws: PSQLError.self) { try await connection.preparedRows(insert, logger) }
            try await connection.query("ROLLBACK", logger: logger)
            // PostgresNIO keeps that failure under the statement's name; the next use takes a new name.
            let rows = try await connection.preparedRows(insert, logger)
            #expect(try rows.map { try $0.integer("id") } == [1])
        }
    }

    /// Two stores of one process (instances in a test) number their pools' connections alike: a statement that
    /// ran on one store's connection is no reason to keep a failed preparation on the other's with the same id.
    @Test func aConnectionOfAnotherPoolWithTheSameIDKeepsItsOwnStatements() async throws {
        defer { directory.remove() }
        let url = try await StoreEngines.url("postgres", in: directory)
        var stores: [PostgresStore] = []
        for instance in ["a", "b"] {
            let store = try await Store(configuration: .init(location: try StoreLocation(url: url), instance: instance))
            stores.append(try #require(store.base as? PostgresStore))
        }
        try await stores[0].client.withConnection { first in
            try await stores[1].client.withConnection { second in
                try #require(first.id == second.id, "the two pools' first connections share an id")
                let logger = stores[0].logger
                try await first.query("CREATE TABLE items (id int PRIMARY KEY)", logger: logger)
                let insert: PostgresQuery = "INSERT INTO items VALUES (\(Int32(1))) RETURNING id"
                #expect(try await first.preparedRows(insert, logger).count == 1)
                try await second.query("BEGIN", logger: logger)
                await #expect(throws: PSQLError.self) { try await second.query("SELECT 1/0", logger: logger) }
                await #expect(throws: PSQLError.self) { try await second.preparedRows(insert, logger) }
                try await second.query("ROLLBACK", logger: logger)
                try await second.query("DELETE FROM items", logger: logger)
                #expect(try await second.preparedRows(insert, logger).map { try $0.integer("id") } == [1])
            }
        }
    }

    @Test func aStatementWhoseRowsChangedTypeIsPreparedAgain() async throws {
        try await onConnection { connection, logger in
            try await connection.query("CREATE TABLE items (id int PRIMARY KEY)", logger: logger)
            try await connection.query("INSERT INTO items VALUES (1)", logger: logger)
            let select: PostgresQuery = "SELECT * FROM items WHERE id = \(Int32(1))"
            #expect(try await connection.preparedRows(select, logger).count == 1)
            // Another instance's migration adds a column: the statement prepared before returns other rows now.
            try await connection.query("ALTER TABLE items ADD COLUMN note text DEFAULT 'new'", logger: logger)
            var rows: [PostgresRandomAccessRow] = []
            for _ in 0..<2 {
                do {
                    rows = try await connection.preparedRows(select, logger)
                    break
                } catch let error as PSQLError {
                    #expect(error.serverInfo?[.sqlState] == "0A000", "cached plan must not change result type")
                }
            }
            #expect(try rows.map { try $0.text("note") } == ["new"])
        }
    }
}
