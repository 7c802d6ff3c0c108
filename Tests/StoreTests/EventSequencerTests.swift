import Lightning
import PostgresNIO
import Store
import TestSupport
import Testing

@testable import PostgresStore

/// The PostgreSQL event outbox and its sequencer: one gapless index in commit order across instances, when
/// sequencers overlap and when the sequencing session dies in the middle of a batch.
@Suite struct EventSequencerTests {
    let directory = TemporaryDirectory()

    func openStores(_ count: Int, url: String? = nil) async throws -> [Store] {
        var url = url
        if url == nil { url = try await StoreEngines.url("postgres", in: directory) }
        let location = try StoreLocation(url: try #require(url))
        var stores: [Store] = []
        for index in 0..<count {
            stores.append(try await Store(configuration: .init(location: location, instance: "instance-\(index)")))
        }
        return stores
    }

    func engine(_ store: Store) throws -> PostgresStore { try #require(store.base as? PostgresStore) }

    /// `(idx, at)` of every event, by index.
    func events(_ store: Store) async throws -> [(index: Int64, at: Int64)] {
        try await store.events(after: 0, limit: 100_000).map { ($0.index, $0.at) }
    }

    /// Waits (bounded) until `condition` holds.
    func eventually(_ what: Comment, within bound: Duration = .seconds(30), _ condition: () async throws -> Bool)
        async throws
    {
        let start = ContinuousClock.now
        while try await !condition() {
            try #require(ContinuousClock.now - start < bound, what)
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func aWriterWakesTheSequencerOnlyForItsOwnRow() async throws {
        defer { directory.remove() }
        let store = try await openStores(1)[0]
        let postgres = try engine(store)
        try await eventually("the instance sequences") { postgres.sequencer.isLeading }
        for at in 1...40 {
            _ = try await store.appendEvent(NewEvent(type: "test", at: Int64(at), data: "{}"))
        }
        // Each write's ring led to the batch that took its row; none ran a batch that found nothing (before, each
        // batch that found rows was followed at once by one that found none).
        #expect(postgres.sequencer.batchesWokenForNothing == 0)
        #expect(try await store.lastEventIndex() == 40)
    }

    @Test func overlappingSequencersIndexEachEventOnceInOutboxOrder() async throws {
        defer { directory.remove() }
        let stores = try await openStores(2)
        let postgres = try engine(stores[0])
        let total = 600
        // Outbox rows written one after the other (outbox id order = `at` order), while the instances' own
        // sequencer and two more batch loops, forced past the leadership, sequence at the same time.
        let writer = Task {
            try await postgres.client.withConnection { connection in
                for at in 1...total {
                    _ = try await EventOutbox.insert(
                        NewEvent(type: "test", at: Int64(at), data: "{}"), on: connection, postgres.logger)
                }
            }
        }
        let overlapping = (0..<2).map { _ in
            Task {
                try await postgres.client.withConnection { connection in
                    while try await stores[0].lastEventIndex() < Int64(total) {
                        if try await EventSequencer.sequenceBatch(on: connection, postgres.logger).isEmpty {
                            try await Task.sleep(for: .milliseconds(1))
                        }
                    }
                }
            }
        }
        try await writer.value
        for task in overlapping { _ = try await task.value }
        try await eventually("every event indexed") { try await stores[1].lastEventIndex() == Int64(total) }
        let expected = (1...Int64(total)).map { (index: $0, at: $0) }
        for store in stores {
            #expect(try await events(store).elementsEqual(expected) { $0 == $1 })
        }
        // Every outbox row still there has one index of its own; rows sequenced over a minute before are pruned
        // (`EventSequencer.keepSequencedSeconds`: under a loaded CI run this test takes minutes), so the rows
        // left are the newest ones, ending at the last index.
        let outbox = try await postgres.client.withConnection { connection in
            try await connection.rows(
                """
                SELECT count(*) AS n, count(idx) AS indexed, count(DISTINCT idx) AS distinct_indexes,
                    min(idx) AS low, max(idx) AS high
                FROM event_outbox
                """, postgres.logger
            ).first
        }
        let kept = try #require(try outbox?.integer("n"))
        #expect(kept >= 1)
        #expect(try outbox?.integer("indexed") == kept)
        #expect(try outbox?.integer("distinct_indexes") == kept)
        #expect(try outbox?.integer("high") == Int64(total))
        #expect(try outbox?.integer("low") == Int64(total) - kept + 1)
    }

    @Test func anotherInstanceSequencesWhenTheSequencerDiesMidBatch() async throws {
        defer { directory.remove() }
        let url = try await StoreEngines.url("postgres", in: directory)
        let first = try engine(try await openStores(1, url: url)[0])
        try await eventually("the first instance sequences") { first.sequencer.isLeading }
        let writer = try await Store(configuration: .init(location: try StoreLocation(url: url), instance: "writer"))
        let writerEngine = try engine(writer)
        // A blocker holds the first index, uncommitted, so the sequencer's next batch stops inside its statement,
        // waiting to learn whether that index is taken.
        let blocker = try await PostgresConnection.connect(
            configuration: first.connectionConfiguration, id: 1, logger: first.logger)
        defer { Task { try await blocker.close() } }
        try await blocker.query("BEGIN", logger: first.logger)
        try await blocker.query(
            "INSERT INTO events (idx, type, at, data) VALUES (1, 'blocker', 0, '{}')", logger: first.logger)
        let appends = Task {
            try await withThrowingTaskGroup(of: Int64.self) { group in
                for at in 1...50 {
                    group.addTask {
                        try await writer.appendEvent(NewEvent(type: "test", at: Int64(at), data: "{}")).index
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
        }
        // The sequencer's session, waiting inside its batch for the blocker, dies as when its process is
        // SIGKILLed; the process is gone too (closed before it could reconnect).
        var victim: Int64?
        try await eventually("the sequencer waits inside its batch") {
            victim = try await blocker.rows(
                """
                SELECT pid::bigint AS pid FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND wait_event = 'transactionid' AND datname = current_database()
                """, first.logger
            ).first?.integer("pid")
            return victim != nil
        }
        let killed = try #require(victim)
        try await blocker.query("SELECT pg_terminate_backend(\(killed)::int)", logger: first.logger)
        await first.close()
        try await blocker.query("ROLLBACK", logger: first.logger)
        try await eventually("the other instance sequences") { writerEngine.sequencer.isLeading }
        #expect(try await appends.value.sorted() == Array(1...50))
        #expect(try await events(writer).map(\.index) == Array(1...50))
    }

    /// When an event waits for its index, the diagnosis a writer reports names why: which server process holds
    /// the sequencer's lock (here a session standing in for a stuck instance), or that none does, or that the
    /// row is gone; and nothing once the row has its index.
    @Test func whyAnEventWaitsForItsIndexIsNamed() async throws {
        defer { directory.remove() }
        let url = try await StoreEngines.url("postgres", in: directory)
        let first = try await openStores(1, url: url)[0]
        let configuration = try engine(first).connectionConfiguration
        let logger = try engine(first).logger
        try await first.close()
        let holder = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        defer { Task { try await holder.close() } }
        let holderPID = try #require(
            try await holder.rows(
                "SELECT pg_backend_pid()::bigint AS pid, pg_advisory_lock(\(EventSequencer.leaderLockKey))::text",
                logger
            ).first?.integer("pid"))
        let store = try await openStores(1, url: url)[0]
        let postgres = try engine(store)
        let pending = try await postgres.client.withConnection { connection in
            try await EventOutbox.insert(NewEvent(type: "test", at: 1, data: "{}"), on: connection, logger)
        }
        let waiting = try await postgres.client.withConnection { connection in
            try await EventSequencer.diagnosis(of: pending.outboxID, on: connection, logger)
        }
        let expected = "1 events wait for an index; the sequencer's lock is held by server process \(holderPID) ("
        #expect(waiting?.hasPrefix(expected) == true, "\(waiting ?? "indexed")")
        #expect(waiting?.contains(", idle for ") == true, "\(waiting ?? "indexed")")
        let gone = try await EventSequencer.diagnosis(of: pending.outboxID + 1_000, on: holder, logger)
        #expect(
            gone?.hasPrefix("its outbox row is gone (the transaction that wrote it did not commit); ") == true,
            "\(gone ?? "indexed")")
        #expect(!postgres.sequencer.isLeading)
        #expect(postgres.sequencer.state == "this instance does not sequence")
        try await holder.query("SELECT pg_advisory_unlock_all()", logger: logger)
        try await eventually("the event is indexed") {
            try await EventSequencer.diagnosis(of: pending.outboxID, on: holder, logger) == nil
        }
        // The batch's commit is seen before the sequencer's task has recorded it.
        try await eventually("the sequencer's state names its last batch") {
            postgres.sequencer.state.hasPrefix("this instance sequences, its last batch ")
        }
        try await store.close()
        let orphan = try await EventOutbox.insert(NewEvent(type: "test", at: 2, data: "{}"), on: holder, logger)
        // The closed store's session ends once its server process has seen the connection close (on a loaded
        // CI machine, a second or more after `close()` returned): until then the lock is still shown held.
        var nobody: String?
        try await eventually("the closed store's server process has ended") {
            nobody = try await EventSequencer.diagnosis(of: orphan.outboxID, on: holder, logger)
            return nobody?.contains("the sequencer's lock is held") == false
        }
        #expect(
            nobody?.hasPrefix("1 events wait for an index; no instance holds the sequencer's lock") == true,
            "\(nobody ?? "indexed")")
    }

    @Test(arguments: ["another database of the cluster", "the same database"])
    func aLongTransactionDoesNotHoldIndexingBack(in place: String) async throws {
        defer { directory.remove() }
        let url = try await StoreEngines.url("postgres", in: directory)
        let store = try await openStores(1, url: url)[0]
        let postgres = try engine(store)
        // A transaction that holds a transaction id and stays open until the end of the test: in another wallet's
        // (another test's) database, or in this one (a client idle in a transaction).
        let holder = place == "the same database" ? store : try await openStores(1)[0]
        let holderEngine = try engine(holder)
        let longTransaction = try await PostgresConnection.connect(
            configuration: holderEngine.connectionConfiguration, id: 1, logger: holderEngine.logger)
        defer { Task { try await longTransaction.close() } }
        try await longTransaction.query("BEGIN", logger: holderEngine.logger)
        let xid = try #require(
            try await longTransaction.rows(
                "SELECT pg_current_xact_id()::text::bigint AS xid", holderEngine.logger
            ).first?.integer("xid"))
        // Events written here now are indexed while it is open (behind the cluster-wide `xmin`, each write waited
        // 30 s and failed "stored but not indexed"; behind this database's oldest transaction, so did each write
        // when the transaction was in this database).
        var indexes: [Int64] = []
        for at in 1...5 {
            indexes.append(try await store.appendEvent(NewEvent(type: "test", at: Int64(at), data: "{}")).index)
        }
        #expect(indexes == [1, 2, 3, 4, 5])
        let status = try await postgres.client.withConnection { connection in
            try await connection.rows(
                "SELECT pg_xact_status(CAST(\(String(xid)) AS xid8)) AS status", postgres.logger
            ).first?.text("status")
        }
        #expect(status == "in progress", "the long transaction was open all along")
        try await longTransaction.query("COMMIT", logger: holderEngine.logger)
    }
}
