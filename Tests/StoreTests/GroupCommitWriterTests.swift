import Foundation
import GRDB
import Synchronization
import TestSupport
import Testing

@testable import GroupCommit

@Suite struct GroupCommitWriterTests {
    let directory = TemporaryDirectory()

    private func openDatabase() throws -> DatabasePool {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let pool = try DatabasePool(path: directory.file("group.sqlite"), configuration: configuration)
        try pool.write { database in
            try database.execute(
                sql: """
                    CREATE TABLE parent (id INTEGER PRIMARY KEY);
                    CREATE TABLE item (id INTEGER PRIMARY KEY, value INTEGER NOT NULL UNIQUE,
                        parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
                    """)
        }
        return pool
    }

    /// A flag or counter shared with concurrent tasks.
    private final class Shared<Value: Sendable>: Sendable {
        private let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
        var current: Value { value.withLock { $0 } }
        func update(_ body: (inout Value) -> Void) { value.withLock { body(&$0) } }
    }

    /// Counts the transactions SQLite committed.
    private final class CommitCounter: TransactionObserver, @unchecked Sendable {
        let commits = Mutex(0)
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    @Test func concurrentWritesShareCommitsAndEachGetsItsOwnResult() async throws {
        defer { directory.remove() }
        let pool = try openDatabase()
        let counter = CommitCounter()
        pool.add(transactionObserver: counter, extent: .databaseLifetime)
        let writer = GroupCommitWriter(database: pool, label: "test")
        let writes = 200
        let holding = Shared(true)
        let entered = Shared(false)
        // A first write holds the writer until every other write is queued behind it, so they share one commit.
        async let held: Int64 = writer.write { database in
            entered.update { $0 = true }
            while holding.current { usleep(1_000) }
            try database.execute(sql: "INSERT INTO item (value) VALUES (0)")
            return database.lastInsertedRowID
        }
        // Released on every path: a bound missed on a loaded machine fails the test instead of hanging it.
        var queued: [Task<(Int, Int64), any Error>] = []
        do {
            try await eventually("the first write holds the writer", timeout: .seconds(60)) { entered.current }
            queued = (1..<writes).map { value in
                Task {
                    let rowID = try await writer.write { database in
                        try database.execute(sql: "INSERT INTO item (value) VALUES (?)", arguments: [value])
                        return database.lastInsertedRowID
                    }
                    return (value, rowID)
                }
            }
            try await eventually("every other write waits behind it", timeout: .seconds(60)) {
                writer.waitingWrites == writes - 1
            }
        } catch {
            holding.update { $0 = false }
            throw error
        }
        holding.update { $0 = false }
        var results = [0: try await held]
        for write in queued {
            let (value, rowID) = try await write.value
            results[value] = rowID
        }
        #expect(results.count == writes)
        let stored = try await pool.read { database in
            try Row.fetchAll(database, sql: "SELECT id, value FROM item").map {
                ($0["value"] as Int, $0["id"] as Int64)
            }
        }
        #expect(Dictionary(uniqueKeysWithValues: stored) == results)
        let commits = counter.commits.withLock { $0 }
        // The held write's transaction, then one for the 199 queued writes (at most 256 share one).
        #expect(commits == 2)
    }

    @Test func aFailingWriteIsRolledBackAloneAndGetsItsError() async throws {
        defer { directory.remove() }
        let pool = try openDatabase()
        let writer = GroupCommitWriter(database: pool, label: "test")
        try await writer.write { try $0.execute(sql: "INSERT INTO item (value) VALUES (1)") }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await #expect(throws: DatabaseError.self) {
                    try await writer.write { database in
                        try database.execute(sql: "INSERT INTO item (value) VALUES (2)")
                        try database.execute(sql: "INSERT INTO item (value) VALUES (1)")  // UNIQUE violation
                    }
                }
            }
            for value in 3...20 {
                group.addTask {
                    await #expect(throws: Never.self) {
                        try await writer.write {
                            try $0.execute(sql: "INSERT INTO item (value) VALUES (?)", arguments: [value])
                        }
                    }
                }
            }
        }
        let values = try await pool.read { try Int.fetchAll($0, sql: "SELECT value FROM item ORDER BY value") }
        #expect(values == [1] + Array(3...20))
    }

    @Test func aFailedCommitFailsEveryWriteOfItsBatch() async throws {
        defer { directory.remove() }
        let pool = try openDatabase()
        let writer = GroupCommitWriter(database: pool, label: "test", maxBatch: 1_000)
        let gate = Shared(false)
        let entered = Shared(false)
        // A deferred foreign key is checked at COMMIT, so the whole group transaction fails there. The blocker
        // holds the writer until both writes are queued, so they share the next transaction.
        async let blocker: Void = writer.write { _ in
            entered.update { $0 = true }
            while !gate.current { usleep(1_000) }
        }
        // Opened on every path: a bound missed on a loaded machine fails the test instead of hanging it.
        var writes: (good: Task<Void, any Error>, bad: Task<Void, any Error>)
        do {
            try await eventually("the blocker holds the writer", timeout: .seconds(60)) { entered.current }
            writes.good = Task {
                try await writer.write { try $0.execute(sql: "INSERT INTO item (value) VALUES (10)") }
            }
            writes.bad = Task {
                try await writer.write { try $0.execute(sql: "INSERT INTO item (value, parent) VALUES (11, 99)") }
            }
            try await eventually("both writes wait behind the blocker", timeout: .seconds(60)) {
                writer.waitingWrites == 2
            }
        } catch {
            gate.update { $0 = true }
            throw error
        }
        gate.update { $0 = true }
        try await blocker
        await #expect(throws: DatabaseError.self) { try await writes.good.value }
        await #expect(throws: DatabaseError.self) { try await writes.bad.value }
        #expect(try await pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM item") } == 0)
    }
}
