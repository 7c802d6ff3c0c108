import Lightning
import PostgresNIO
import Store
import Synchronization
import TestSupport
import Testing

@testable import PostgresStore

/// Group commit on PostgreSQL: concurrent writes of one instance share transactions, each answered once
/// committed, each failing alone.
@Suite struct PostgresGroupCommitTests {
    let directory = TemporaryDirectory()

    func invoice(label: String?, expirySeconds: Int64 = 3600, fingerprint: String = "first") -> InvoiceRecord {
        let preimage = Preimage.random()
        return InvoiceRecord(
            paymentHash: preimage.paymentHash, bolt11: "lnbcrt1", label: label, amount: MilliSatoshi(1000),
            description: "coffee", descriptionHash: nil, expirySeconds: expirySeconds, status: .open, createdAt: 100,
            expiresAt: 100 + expirySeconds, preimage: preimage, metadata: nil, requestFingerprint: fingerprint)
    }

    /// A store on a new PostgreSQL database, and its engine.
    func openStore(instance: String) async throws -> (Store, PostgresStore) {
        let store = try await Store(
            configuration: .init(
                location: try StoreLocation(url: try await StoreEngines.url("postgres", in: directory)),
                instance: instance))
        return (store, try #require(store.base as? PostgresStore))
    }

    @Test func concurrentWritesShareTransactionsAndFailAlone() async throws {
        defer { directory.remove() }
        let (store, postgres) = try await openStore(instance: "group")
        let events = 64
        let invoices = 40
        // Every fifth invoice breaks a constraint of the schema (expiry_s > 0): it fails inside a batch that also
        // holds good writes.
        let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for at in 0..<events {
                group.addTask {
                    _ = try await store.appendEvent(NewEvent(type: "test", at: Int64(at), data: "{}"))
                    return ("event", true)
                }
            }
            for number in 0..<invoices {
                group.addTask {
                    let record = invoice(label: "label-\(number)", expirySeconds: number % 5 == 4 ? 0 : 3600)
                    do {
                        _ = try await store.createInvoice(record)
                        return ("invoice-\(number)", true)
                    } catch {
                        return ("invoice-\(number)", false)
                    }
                }
            }
            return try await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        for number in 0..<invoices {
            #expect(outcomes["invoice-\(number)"] == (number % 5 != 4), "invoice \(number)")
            let stored = try await store.invoice(label: "label-\(number)")
            #expect((stored != nil) == (number % 5 != 4), "invoice \(number)")
        }
        #expect(try await store.lastEventIndex() == Int64(events))
        // The events' outbox rows record their top-level transaction: fewer transactions than writes.
        let transactions = try await postgres.client.withConnection { connection in
            try await connection.rows("SELECT count(DISTINCT xid::text) AS n FROM event_outbox", postgres.logger)
                .first?.integer("n")
        }
        let shared = try #require(transactions)
        #expect(shared < Int64(events), "\(shared) transactions for \(events) events")
        await #expect(throws: StoreError(.labelConflict, "label is used by an invoice with other parameters")) {
            _ = try await store.createInvoice(invoice(label: "label-0", fingerprint: "second"))
        }
    }

    @Test func batchesLockingRowsInOppositeOrdersDoNotDeadlock() async throws {
        // [row 1, row 2, row 2] against [row 2, row 1, row 1]: the later writes would deadlock, but they may
        // not wait while their batch holds locks; they run again as first writes of later batches.
        let (counts, conflicts) = try await opposingBatches(firstWrites: [[1], [2]], laterWrites: [[2, 2], [1, 1]])
        #expect(counts == [[1, 3], [2, 3]], "every write committed once")
        #expect(conflicts == 0, "no deadlock")
    }

    @Test func aDeadlockVictimRunsAgainAfterItsBatchIsRolledBack() async throws {
        // First writes may wait, so two of them locking rows 1 and 2 in opposite orders deadlock: PostgreSQL
        // picks one, its batch is rolled back whole and runs again.
        let (counts, conflicts) = try await opposingBatches(firstWrites: [[1, 2], [2, 1]], laterWrites: [[], []])
        #expect(counts == [[1, 2], [2, 2]], "every write committed once")
        #expect(conflicts == 1, "one deadlock, lost once")
    }

    @Test func aLoneWriteOfOneStatementIsItsOwnTransaction() async throws {
        defer { directory.remove() }
        let (_, postgres) = try await openStore(instance: "lone")
        let group = PostgresGroupCommit(client: postgres.client, logger: postgres.logger)
        // A setting made for the rest of the transaction is gone at the next statement when each statement is
        // its own transaction.
        @Sendable func isOwnTransaction(_ connection: PostgresConnection) async throws -> Bool {
            try await connection.query("SELECT set_config('t4g.probe', 'set', true)", logger: postgres.logger)
            return try await connection.rows(
                "SELECT current_setting('t4g.probe', true) AS probe", postgres.logger
            ).first?.text("probe") != "set"
        }
        #expect(try await group.write(writesOnce: true, isOwnTransaction))
        #expect(try await group.write(writesOnce: false, isOwnTransaction) == false)
    }

    @Test func aBatchTakesSavepointsOnlyAfterALaterWriteFailed() async throws {
        defer { directory.remove() }
        let (_, postgres) = try await openStore(instance: "savepoints")
        let logger = postgres.logger
        _ = try await postgres.client.withConnection { connection in
            try await connection.query(
                "CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL CHECK (n >= 0))", logger: logger)
        }
        let group = PostgresGroupCommit(client: postgres.client, logger: logger, maximumConcurrentBatches: 1)
        /// Inserts `items` as one batch and returns whether each committed.
        func batch(_ items: [(id: Int, n: Int)]) async throws -> [Bool] {
            try await oneBatch(
                in: group,
                items.map { item in
                    { @Sendable in
                        _ = try await group.write { connection in
                            try await connection.query(
                                "INSERT INTO items VALUES (\(item.id), \(item.n))", logger: logger)
                        }
                        return true
                    }
                }
            ).map { (try? $0.get()) == true }
        }
        /// How many (sub)transactions inserted the rows `ids` (a write in a savepoint has one of its own).
        func writers(of ids: [Int]) async throws -> Int64? {
            try await postgres.client.withConnection { connection in
                try await connection.rows(
                    "SELECT count(DISTINCT xmin::text) AS n FROM items WHERE id = ANY(\(ids.map(Int64.init)))", logger
                ).first?.integer("n")
            }
        }
        // Three good writes: one run, no savepoint (the rows share their inserting transaction).
        #expect(try await batch([(1, 1), (2, 1), (3, 1)]) == [true, true, true])
        #expect(group.batchesRunAgainWithSavepoints == 0)
        #expect(try await writers(of: [1, 2, 3]) == 1)
        // The second write breaks the CHECK: the batch runs again with savepoints, and only that write fails.
        #expect(try await batch([(4, 1), (5, -1), (6, 1)]) == [true, false, true])
        #expect(group.batchesRunAgainWithSavepoints == 1)
        #expect(try await writers(of: [4, 6]) == 2)
        // The batches after it take savepoints from the start: a failure no longer runs a batch twice.
        #expect(try await batch([(7, 1), (8, -1), (9, 1)]) == [true, false, true])
        #expect(group.batchesRunAgainWithSavepoints == 1)
        #expect(try await writers(of: [7, 9]) == 2)
    }

    /// Runs `writes` as one batch of `group` (which has one batch in flight): queued behind a write that holds
    /// the batch until they all wait. Returns each write's outcome.
    func oneBatch<T: Sendable>(
        in group: PostgresGroupCommit, _ writes: [@Sendable () async throws -> T]
    ) async throws -> [Result<T, any Error>] {
        let (gate, open) = AsyncStream<Void>.makeStream()
        let (entered, enter) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await group.write { _ in
                enter.finish()
                for await _ in gate {}
            }
        }
        for await _ in entered {}
        var tasks: [Task<Result<T, any Error>, Never>] = []
        for (position, write) in writes.enumerated() {
            tasks.append(
                Task {
                    do { return .success(try await write()) } catch { return .failure(error) }
                })
            try await eventually("write \(position + 1) waits") { group.waitingWrites == position + 1 }
        }
        open.finish()
        try await holder.value
        var outcomes: [Result<T, any Error>] = []
        for task in tasks { outcomes.append(await task.value) }
        return outcomes
    }

    @Test func invoicesNextToEachOtherInABatchAreInsertedByOneStatement() async throws {
        defer { directory.remove() }
        let (store, postgres) = try await openStore(instance: "coalesced")
        let group = PostgresGroupCommit(client: postgres.client, logger: postgres.logger, maximumConcurrentBatches: 1)
        let first = invoice(label: "shared")
        /// Inserts `records` as one batch and describes each outcome.
        func insert(_ records: [InvoiceRecord]) async throws -> [String] {
            let inserts = records.map { record in
                { @Sendable in try await group.write(coalescing: InvoiceInsert(record: record)) }
            }
            return try await oneBatch(in: group, inserts).map { outcome in
                switch outcome {
                case .success(.created(let record)): "created \(record.label ?? "-")"
                case .success(.existing(let record)): "existing, the first: \(record.paymentHash == first.paymentHash)"
                case .failure(let error as StoreError) where error.code == .labelConflict: "label conflict"
                case .failure(let error): "\(error)"
                }
            }
        }
        // Three new invoices: one statement inserts them, the batch commits once.
        var other = invoice(label: "other")
        other.description = "a \"quoted\" back\\slash,\nnew line, tab\t, bell \u{7}, ü, 😀"
        let created = try await insert([first, other, invoice(label: nil)])
        #expect(created == ["created shared", "created other", "created -"])
        #expect(group.writesRunTogether == 3)
        #expect(group.batchesRunAgainWithSavepoints == 0)
        // The statement inserts only the last; the two whose label is taken run alone after it: the same request
        // finds the first invoice, another request with that label fails, and the batch runs again with savepoints
        // so that it fails alone.
        let outcomes = try await insert([
            invoice(label: "shared"), invoice(label: "shared", fingerprint: "second"), invoice(label: "third"),
        ])
        #expect(outcomes == ["existing, the first: true", "label conflict", "created third"])
        #expect(group.writesRunTogether == 6)
        #expect(group.batchesRunAgainWithSavepoints == 1)
        #expect(try await store.invoice(label: "third") != nil)
        #expect(try await store.invoice(label: "other")?.description == other.description, "JSON-escaped in transit")
    }

    /// Two instances' group commits, one batch in flight each, so that the writes queued behind a gate form one
    /// batch each: a first write that increments the counters of its first row, waits until the other side's
    /// first write did the same, then increments its other rows; then one write per row of `laterWrites`.
    /// Returns the counters as `[id, n]` and the batches rolled back for a conflict.
    func opposingBatches(firstWrites: [[Int]], laterWrites: [[Int]]) async throws
        -> (counts: [[Int64?]], conflicts: Int)
    {
        defer { directory.remove() }
        let (_, postgres) = try await openStore(instance: "opposing")
        let logger = postgres.logger
        try await postgres.client.withConnection { connection in
            try await connection.query("CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)", logger: logger)
            try await connection.query("INSERT INTO counters VALUES (1, 0), (2, 0)", logger: logger)
        }
        let batches = (0..<2).map { _ in
            PostgresGroupCommit(client: postgres.client, logger: logger, maximumConcurrentBatches: 1)
        }
        let firstRowLocked = (0..<2).map { _ in AsyncStream<Void>.makeStream() }
        let gates = (0..<2).map { _ in AsyncStream<Void>.makeStream() }
        @Sendable func increment(_ row: Int, on connection: PostgresConnection) async throws {
            try await connection.query("UPDATE counters SET n = n + 1 WHERE id = \(row)", logger: logger)
        }
        var writes: [Task<Void, any Error>] = []
        for side in 0..<2 {
            let group = batches[side]
            let gate = gates[side].stream
            let (entered, enter) = AsyncStream<Void>.makeStream()
            writes.append(
                Task {
                    try await group.write { _ in
                        enter.finish()
                        for await _ in gate {}
                    }
                })
            for await _ in entered {}
            let rows = firstWrites[side]
            let locked = firstRowLocked[side].continuation
            let otherLocked = firstRowLocked[1 - side].stream
            let once = FirstRun()
            writes.append(
                Task {
                    try await group.write { connection in
                        try await increment(rows[0], on: connection)
                        if once.isFirst() {
                            locked.finish()
                            for await _ in otherLocked {}
                        }
                        for row in rows.dropFirst() { try await increment(row, on: connection) }
                    }
                })
            try await eventually("side \(side)'s first write waits") { group.waitingWrites == 1 }
            for (position, row) in laterWrites[side].enumerated() {
                writes.append(Task { try await group.write { try await increment(row, on: $0) } })
                try await eventually("side \(side)'s write \(position + 2) waits") {
                    group.waitingWrites == position + 2
                }
            }
        }
        for gate in gates { gate.continuation.finish() }
        for write in writes { try await write.value }
        let counts = try await postgres.client.withConnection { connection in
            try await connection.rows("SELECT id::bigint AS id, n::bigint AS n FROM counters ORDER BY id", logger)
                .map { [try $0.integer("id"), try $0.integer("n")] }
        }
        return (counts, batches.map(\.batchesRolledBackForConflict).reduce(0, +))
    }
}

/// True the first time it is asked only.
private final class FirstRun: Sendable {
    private let asked = Atomic<Bool>(false)

    func isFirst() -> Bool { !asked.exchange(true, ordering: .relaxed) }
}
