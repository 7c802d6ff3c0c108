import Lightning
import PostgresNIO
import Store
import Synchronization
import TestSupport
import Testing

@testable import PostgresStore

/// Several store instances on one PostgreSQL database, as several t4gd instances use it; and what both engines
/// must agree on.
@Suite struct SharedStoreTests {
    let directory = TemporaryDirectory()

    func openStores(_ count: Int, engine: String = "postgres") async throws -> [Store] {
        let location = try StoreLocation(url: try await StoreEngines.url(engine, in: directory))
        var stores: [Store] = []
        for index in 0..<count {
            stores.append(try await Store(configuration: .init(location: location, instance: "instance-\(index)")))
        }
        return stores
    }

    @Test(arguments: StoreEngines.all) func bothEnginesHaveEveryVersionAndEveryCopiedColumn(engine: String) async throws
    {
        defer { directory.remove() }
        let store = try await openStores(1, engine: engine)[0]
        #expect(try await store.appliedMigrations() == StoreSchema.versions)
        for table in StoreSchema.tables where !table.seeded {
            #expect(try await store.rows(of: table).isEmpty, "table \(table.name)")
        }
        // The migration seeds the system accounts, with zero balances.
        let accounts = try await store.rows(of: StoreSchema.tables.first { $0.name == "balances" }!)
        #expect(
            accounts == [[.text("@node"), .integer(0), .integer(0)], [.text("@treasury"), .integer(0), .integer(0)]])
    }

    @Test(arguments: StoreEngines.all) func theSchemaRefusesWhatItsConstraintsForbid(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStores(1, engine: engine)[0]
        let payments = StoreSchema.tables.first { $0.name == "payments" }!
        func row(amount: Int64, status: String = "pending", preimage: StoreValue = .null) -> [StoreValue] {
            [
                .text(String(repeating: "a", count: 64)), .text("lnbcrt1"), .text(status), .integer(amount),
                .integer(0), .null, preimage, .null, .null, .integer(1), .null, .null, .text("@treasury"),
            ]
        }
        await #expect(throws: StoreError.self) { try await store.insert([row(amount: -5)], into: payments) }
        await #expect(throws: StoreError.self) {
            try await store.insert([row(amount: 5, status: "succeeded")], into: payments)
        }
        try await store.insert([row(amount: 5)], into: payments)
        await #expect(throws: StoreError.self) { try await store.insert([row(amount: 5)], into: payments) }
    }

    @Test func concurrentSendsOfOneHashThroughSeveralInstancesStartOnePayment() async throws {
        defer { directory.remove() }
        let stores = try await openStores(3)
        let hash = Preimage.random().paymentHash
        let record = PaymentRecord(
            paymentHash: hash, bolt11: "lnbcrt1", status: .pending, amount: MilliSatoshi(5000),
            maxFee: MilliSatoshi(100), idempotencyKey: nil, createdAt: 10)
        let started = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<30 {
                group.addTask {
                    if case .started = try await stores[index % 3].beginPayment(record) { return true }
                    return false
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(started == 1)
        #expect(try await stores[0].attemptCount(hash) == 1)
    }

    @Test func eventIndexesAreGaplessInCommitOrderAcrossInstances() async throws {
        defer { directory.remove() }
        let stores = try await openStores(3)
        let total = 300
        let reader = Task { [stores] in
            var seen: Int64 = 0
            var skipped = 0
            while seen < Int64(total) {
                let batch = try await stores[0].events(after: seen, limit: 1000)
                for event in batch {
                    if event.index != seen + 1 { skipped += 1 }
                    seen = event.index
                }
                if batch.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
            }
            return skipped
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<total {
                group.addTask {
                    _ = try await stores[index % 3].appendEvent(NewEvent(type: "test", at: Int64(index), data: "{}"))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await reader.value == 0)
        #expect(try await stores[1].lastEventIndex() == Int64(total))
    }

    @Test func anotherInstanceLeadsWithinSecondsWhenTheLeaderStops() async throws {
        defer { directory.remove() }
        let stores = try await openStores(2)
        let leaders = Shared<[Int]>([])
        func lead(_ index: Int) -> Task<Void, any Error> {
            Task {
                try await stores[index].whileLeading("test", retryDelay: .milliseconds(200)) {
                    leaders.value.withLock { $0.append(index) }
                    try await Task.sleep(for: .seconds(3600))
                }
            }
        }
        let first = lead(0)
        // Opening the dedicated connection (SCRAM authentication) can take seconds on a busy machine: the second
        // instance starts once the first leads.
        try await eventually("the first instance leads", timeout: .seconds(30)) {
            leaders.value.withLock { $0 == [0] }
        }
        // PostgreSQL shows the second instance's lock attempts (pg_stat_activity): once it started a second
        // attempt, its first one found the lock taken, and it does not lead.
        let postgres = try #require(stores[0].base as? PostgresStore)
        var second: Task<Void, any Error>?
        try await postgres.withDedicatedConnection { connection in
            let since =
                try await connection.rows(
                    "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS now", postgres.logger
                ).first?.integer("now") ?? 0
            second = lead(1)
            var attempts: Set<Int64> = []
            try await eventually("the second instance tried the lock twice", timeout: .seconds(30)) {
                let rows = try await connection.rows(
                    """
                    SELECT (extract(epoch FROM query_start) * 1000000)::bigint AS started FROM pg_stat_activity
                    WHERE query LIKE 'SELECT pg_try_advisory_lock%' \
                    AND (extract(epoch FROM query_start) * 1000000)::bigint > \(since)
                    """, postgres.logger)
                attempts.formUnion(try rows.compactMap { try $0.integer("started") })
                return attempts.count >= 2
            }
        }
        #expect(leaders.value.withLock { $0 } == [0])
        first.cancel()
        // Typically well under a second (retry every 200 ms); the bound allows for a loaded machine.
        try await eventually("the second instance leads", timeout: .seconds(10)) {
            leaders.value.withLock { $0.count == 2 }
        }
        #expect(leaders.value.withLock { $0 } == [0, 1])
        second?.cancel()
    }

    @Test func anInstanceHearsOfEventsAppendedByAnother() async throws {
        defer { directory.remove() }
        let stores = try await openStores(2)
        let heard = Shared<[Int64]>([])
        let follower = Task {
            try await stores[1].followEvents { index in heard.value.withLock { $0.append(index) } }
        }
        defer { follower.cancel() }
        // The follower announces the newest index (0) once it listens.
        try await eventually("the follower listens", timeout: .seconds(30)) { heard.value.withLock { $0 == [0] } }
        let appended = try await stores[0].appendEvent(NewEvent(type: "test", at: 1, data: "{}"))
        try await eventually("the follower hears of the event", timeout: .seconds(5)) {
            heard.value.withLock { $0.count == 2 }
        }
        #expect(heard.value.withLock { $0 } == [0, appended.index])
    }

    @Test func anAttemptHasALiveOwnerOnlyWhileItsInstanceBeats() async throws {
        defer { directory.remove() }
        let stores = try await openStores(2)
        let hash = Preimage.random().paymentHash
        _ = try await stores[0].beginPayment(
            PaymentRecord(
                paymentHash: hash, bolt11: "lnbcrt1", status: .pending, amount: MilliSatoshi(5000),
                maxFee: MilliSatoshi(100), idempotencyKey: nil, createdAt: 10))
        #expect(try await stores[1].liveAttemptOwner(of: hash, aliveSince: 100) == nil)
        try await stores[0].recordHeartbeat(at: 120)
        #expect(try await stores[1].liveAttemptOwner(of: hash, aliveSince: 100) == stores[0].owner.description)
        #expect(try await stores[1].liveAttemptOwner(of: hash, aliveSince: 121) == nil)
    }

    /// The insert absorbs a conflict on the key's index too (issue 24): a key bound to another hash must still
    /// be refused when both sends arrive at once.
    @Test func aKeyOfAnotherHashStillConflictsWhenBothArriveAtOnce() async throws {
        defer { directory.remove() }
        let stores = try await openStores(2)
        var conflicts = 0
        for round in 0..<30 {
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<2 {
                    group.addTask {
                        let record = PaymentRecord(
                            paymentHash: Preimage.random().paymentHash, bolt11: "lnbcrt1", status: .pending,
                            amount: MilliSatoshi(5000), maxFee: MilliSatoshi(100), idempotencyKey: "shared-\(round)",
                            createdAt: 10)
                        do {
                            _ = try await stores[index].beginPayment(record)
                            return false
                        } catch let error as StoreError {
                            return error.code == .idempotencyConflict
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            conflicts += outcomes.filter { $0 }.count
        }
        #expect(conflicts == 30)
    }

    @Test func aSecondLiveProcessCannotClaimAnInstanceNameUntilTheFirstCloses() async throws {
        defer { directory.remove() }
        let location = try StoreLocation(url: try await StoreEngines.url("postgres", in: directory))
        let first = try await Store(configuration: .init(location: location, instance: "twin"))
        let second = try await Store(configuration: .init(location: location, instance: "twin"))
        try await first.claimInstanceName()
        try await first.recordHeartbeat(at: 100)
        do {
            try await second.claimInstanceName()
            Issue.record("a second live process claimed the name")
        } catch {
            #expect(error.code == .instanceNameTaken)
        }
        #expect(try await second.liveInstances(aliveSince: 100) == [first.owner.description])
        try await first.close()
        // The closed session's lock goes when its backend process exits, which can trail close() on a loaded
        // machine: the second claims the name as soon as it is free.
        try await eventually("the second process claims the freed name") {
            (try? await second.claimInstanceName()) != nil
        }
        // The claim proves the first process gone: its heartbeat is forgotten, its attempts become the second's.
        #expect(try await second.liveInstances(aliveSince: 0) == [])
        try await second.close()
    }

    /// A database restart ends the session holding the name's lock: the next heartbeat takes it again, unless
    /// another process took the name meanwhile (then the heartbeat is still recorded and the loss reported).
    @Test func aLostNameLockIsTakenAgainAtTheNextHeartbeatUnlessAnotherProcessTookIt() async throws {
        defer { directory.remove() }
        let location = try StoreLocation(url: try await StoreEngines.url("postgres", in: directory))
        let stores = [
            try await Store(configuration: .init(location: location, instance: "cut")),
            try await Store(configuration: .init(location: location, instance: "cut")),
            try await Store(configuration: .init(location: location, instance: "cut")),
        ]
        try await stores[0].claimInstanceName()
        let engine = try #require(stores[0].base as? PostgresStore)
        try await engine.onConnection("end the lock's session") { connection in
            _ = try await connection.query(
                """
                SELECT pg_terminate_backend(pid) FROM pg_locks
                WHERE locktype = 'advisory' AND objsubid = 2
                    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """, logger: engine.logger)
        }
        try await eventually("the store notices the lost lock") { await engine.instanceClaim.lostName() != nil }
        #expect(await engine.instanceClaim.lostName() == "cut")
        try await stores[1].claimInstanceName()
        await #expect(throws: StoreError.self) { try await stores[0].recordHeartbeat(at: 200) }
        #expect(try await stores[0].liveInstances(aliveSince: 200) == [stores[0].owner.description])
        try await stores[1].close()
        // The closed session's lock goes when its backend process exits, which can trail close() on a loaded
        // machine: the first process's heartbeats take the name again as soon as it is free.
        try await eventually("a heartbeat of the first process takes the name again") {
            guard (try? await stores[0].recordHeartbeat(at: 201)) != nil else { return false }
            return await engine.instanceClaim.lostName() == nil
        }
        do {
            try await stores[2].claimInstanceName()
            Issue.record("a third process claimed the name the first took again")
        } catch {
            #expect(error.code == .instanceNameTaken)
        }
        try await stores[0].close()
        try await stores[2].close()
    }

    @Test(arguments: StoreEngines.all) func theFirstRecordedWalletIdentityStays(engine: String) async throws {
        defer { directory.remove() }
        let stores = try await openStores(2, engine: engine)
        #expect(try await stores[0].walletIdentity("seed", recordingIfAbsent: "aa") == "aa")
        #expect(try await stores[1].walletIdentity("seed", recordingIfAbsent: "bb") == "aa")
        #expect(try await stores[1].walletIdentity("backend_node", recordingIfAbsent: "cc") == "cc")
    }
}

/// `t4gctl store migrate`'s copy, both ways.
@Suite struct StoreCopyTests {
    let directory = TemporaryDirectory()

    @Test func aStoreCopiedToPostgresAndBackHoldsTheSameRows() async throws {
        defer { directory.remove() }
        let original = try await Store(configuration: .init(path: directory.file("original.sqlite")))
        let preimage = Preimage.random()
        _ = try await original.createInvoice(
            InvoiceRecord(
                paymentHash: preimage.paymentHash, bolt11: "lnbcrt1", label: "copied", amount: MilliSatoshi(1000),
                description: "copy", descriptionHash: nil, expirySeconds: 3600, status: .open, createdAt: 1,
                expiresAt: 3601, preimage: preimage, metadata: #"{"a":1}"#, requestFingerprint: "f"))
        _ = try await original.markInvoicePaid(
            preimage.paymentHash, amountReceived: MilliSatoshi(1000), preimage: preimage, paidAt: 2, settleIndex: 7,
            event: { _ in NewEvent(type: "invoice.paid", at: 2, data: "{}") })
        let hash = Preimage.random().paymentHash
        _ = try await original.beginPayment(
            PaymentRecord(
                paymentHash: hash, bolt11: "lnbcrt1", status: .pending, amount: MilliSatoshi(5000),
                maxFee: MilliSatoshi(100), idempotencyKey: "k", createdAt: 3))
        try await original.advanceCursor("backend_settle_index", to: 7)
        let postgres = try await Store(
            configuration: .init(location: try StoreLocation(url: try await PostgresServer.shared.database())))
        let there = try await StoreCopy.copy(from: original, to: postgres)
        let back = try await Store(configuration: .init(path: directory.file("back.sqlite")))
        let again = try await StoreCopy.copy(from: postgres, to: back)
        #expect(there == again)
        #expect(there.first { $0.table == "invoices" }?.rows == 1)
        #expect(there.first { $0.table == "events" }?.rows == 1)
        // The copy goes on where the original stopped: the next event index and attempt id continue.
        #expect(try await postgres.appendEvent(NewEvent(type: "next", at: 4, data: "{}")).index == 2)
        #expect(try await postgres.invoice(label: "copied")?.status == .paid)
        await #expect(throws: StoreError.self) { try await StoreCopy.copy(from: original, to: postgres) }
    }
}

/// A value shared with concurrent tasks.
private final class Shared<Value: Sendable>: Sendable {
    let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
}
