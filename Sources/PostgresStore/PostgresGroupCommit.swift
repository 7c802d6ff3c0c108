import Logging
import PostgresNIO
import StoreModel
import Synchronization

/// Commits concurrent writes of one instance together: one PostgreSQL transaction, one commit (one WAL flush),
/// many writers, as `GroupCommitWriter` does for SQLite.
///
/// A write that throws (a constraint, a conflict, a store rule) is rolled back alone while the others commit. A
/// batch first runs its writes one after the other with no savepoint (a savepoint is a round trip, and a
/// subtransaction for the server, per write); when a write after the first throws, the transaction is rolled back
/// and the batch runs again with each write after the first in its own savepoint, so that only the failed
/// write's changes are undone (the first, when it throws, by rolling back the transaction, which holds nothing
/// else yet). After such a batch the next ``isolatedBatchesAfterAFailure`` batches take savepoints from the
/// start, so that writes failing often do not cost two runs each. A caller resumes only after the
/// transaction holding its write has committed (or failed), so nothing is answered before it is durable. Writes
/// that arrive while batches are in flight form the next batch: there is no timer. Up to
/// ``defaultConcurrentBatches`` batches run at once, each on its own pooled connection, so one write waiting on
/// a row lock (another instance's transaction) holds back only its own batch.
///
/// Only the first write of a batch waits for another transaction's locks: once a write of the batch has
/// succeeded, the transaction's `lock_timeout` is set to ``laterWriteLockTimeout``, and a later write that
/// would wait longer is rolled back to its savepoint and runs again at the head of the queue, where it is the
/// first write of its next batch. Lock waits then cannot form a cycle among batches (only first writes wait,
/// and a first write holds no lock but its own, taken in a fixed order): several instances debiting the same
/// accounts no longer deadlock, where each deadlock cost `deadlock_timeout` (1 s) before PostgreSQL broke it.
///
/// A write that PostgreSQL chose as a deadlock or serialization victim ends its whole batch: the transaction is
/// rolled back, which frees every row the batch's earlier writes locked, and all the batch's writes run again,
/// first in the queue. Rolling back only the victim's savepoint would keep those locks: the other side of the
/// deadlock would go on waiting for them, and each later write of the batch that needs the other side's rows
/// would lose a new deadlock after `deadlock_timeout`, holding one transaction open for as many seconds as it
/// has such writes (seen as a storm of deadlocks in the server's log, and as a transaction that held back the
/// event sequencer of every database of the cluster).
final class PostgresGroupCommit: Sendable {
    /// At most this many writes share a transaction (each savepoint that writes is a subtransaction; more than
    /// 64 of them in one transaction slow every snapshot of the server).
    static let maximumBatch = 48
    /// How long a write after the first of its batch may wait for another transaction's lock before it is
    /// rolled back and run again as the first write of a later batch.
    static let laterWriteLockTimeout = "20ms"
    /// Batches in flight at once, by default.
    static let defaultConcurrentBatches = 4
    /// Batches that take savepoints from the start after a batch had to run again with them.
    static let isolatedBatchesAfterAFailure = 16
    /// How often a write that lost a deadlock or a serialization conflict is run again. Only first writes of
    /// batches wait for locks, so deadlocks are rare (first writes locking rows out of a fixed order); before
    /// that rule, under a burst of debits of one account (50 at once through three instances,
    /// `LedgerStoreTests`) a write lost up to four times in a row, hence eight tries. Writes run again because
    /// another write of their batch lost do not count a try.
    static let maximumRetries = 8

    private let client: PostgresClient
    private let logger: Logger
    private let maximumConcurrentBatches: Int
    private let state = Mutex(State())
    private let conflictRollbacks = Atomic<Int>(0)
    private let isolatedReruns = Atomic<Int>(0)
    private let coalescedWrites = Atomic<Int>(0)

    private struct State {
        var waiting: [any PostgresGroupJob] = []
        var batchesInFlight = 0
        /// Batches still to run with savepoints from the start.
        var isolatedBatchesLeft = 0
    }

    /// Creates the group commit of `client`'s connections, with at most `maximumConcurrentBatches` batches in
    /// flight.
    init(client: PostgresClient, logger: Logger, maximumConcurrentBatches: Int = defaultConcurrentBatches) {
        precondition(maximumConcurrentBatches > 0, "maximumConcurrentBatches must be positive")
        self.client = client
        self.logger = logger
        self.maximumConcurrentBatches = maximumConcurrentBatches
    }

    /// Writes waiting for a batch (for tests).
    var waitingWrites: Int { state.withLock { $0.waiting.count } }

    /// Batches rolled back because one of their writes lost a deadlock or a serialization conflict.
    var batchesRolledBackForConflict: Int { conflictRollbacks.load(ordering: .relaxed) }

    /// Batches run again with savepoints because a write after the first failed in a run without them.
    var batchesRunAgainWithSavepoints: Int { isolatedReruns.load(ordering: .relaxed) }

    /// Writes that ran in one statement with others of their kind (``PostgresCoalescedWrite``).
    var writesRunTogether: Int { coalescedWrites.load(ordering: .relaxed) }

    /// Runs `body` in the next group transaction and returns its result once that transaction committed. Throws
    /// what `body` threw (its changes are rolled back), or the commit's error.
    ///
    /// `writesOnce`: `body` changes the database in at most one statement (reads may follow it) and throws only
    /// when that statement changed nothing, so when it is alone in its batch it runs without `BEGIN` and `COMMIT`,
    /// its statement its own transaction: one round trip instead of three, which is what a write costs when few
    /// are concurrent (several instances share the load).
    func write<T: Sendable>(
        writesOnce: Bool = false, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue([PostgresWriteJob(body: body, writesOnce: writesOnce, continuation: continuation)])
        }
    }

    /// Runs `write` in the next group transaction, in one statement with the writes of its kind next to it in the
    /// batch (``PostgresCoalescedWrite``), and returns its output once that transaction committed.
    func write<W: PostgresCoalescedWrite>(coalescing write: W) async throws -> W.Output {
        let coalescing = Coalescing(
            kind: ObjectIdentifier(W.self), write: write,
            runTogether: { [logger] writes, connection in
                try await W.runTogether(writes.map { $0 as! W }, on: connection, logger).map { $0 }
            })
        return try await withCheckedThrowingContinuation { continuation in
            enqueue([
                PostgresWriteJob(
                    body: { [logger] connection in try await write.run(on: connection, logger) }, writesOnce: true,
                    coalescing: coalescing, continuation: continuation)
            ])
        }
    }

    /// Queues `jobs` behind the waiting writes, or before them (`first`) when they ran in a batch that was
    /// rolled back, so that they keep their turn.
    private func enqueue(_ jobs: [any PostgresGroupJob], first: Bool = false) {
        let mustStartBatch = state.withLock { state in
            if first {
                state.waiting.insert(contentsOf: jobs, at: 0)
            } else {
                state.waiting.append(contentsOf: jobs)
            }
            guard state.batchesInFlight < maximumConcurrentBatches else { return false }
            state.batchesInFlight += 1
            return true
        }
        // A drain outlives the write that started it (it serves later writes too), so it is not a child task.
        if mustStartBatch { Task { await drain() } }
    }

    /// Commits batches until no write is waiting.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [any PostgresGroupJob] in
                guard !state.waiting.isEmpty else {
                    state.batchesInFlight -= 1
                    return []
                }
                let count = min(Self.maximumBatch, state.waiting.count)
                defer { state.waiting.removeFirst(count) }
                return Array(state.waiting.prefix(count))
            }
            guard !batch.isEmpty else { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [any PostgresGroupJob]) async {
        let ended: Result<BatchEnd, any Error>
        do {
            // The batch's statements run on the connection's event loop: no thread hop per round trip.
            ended = .success(
                try await client.withConnection { connection in
                    try await connection.onEventLoop { try await transact(batch, on: connection) }
                })
        } catch {
            ended = .failure(error)
        }
        switch ended {
        case .success(let end):
            if end == .rolledBackForConflict { conflictRollbacks.add(1, ordering: .relaxed) }
            // The writes to run again keep their turn, at the head of the queue; the others have their answer.
            var again: [any PostgresGroupJob] = []
            for job in batch {
                if job.mustRunAgain(after: end, maximumRetries: Self.maximumRetries) {
                    again.append(job)
                } else {
                    job.finish(.success(()))
                }
            }
            if !again.isEmpty { enqueue(again, first: true) }
        case .failure(let error):
            for job in batch { job.finish(.failure(error)) }
        }
    }

    /// Runs `batch` in a transaction of `connection` and commits it, or rolls it back after a lost conflict; when
    /// a write after the first failed in a run without savepoints, runs the batch again with them.
    private func transact(_ batch: [any PostgresGroupJob], on connection: PostgresConnection) async throws
        -> BatchEnd
    {
        if batch.count == 1, batch[0].writesOnce {
            // Its one writing statement commits by itself (before it answers, `synchronous_commit` being on).
            let job = batch[0]
            return await job.run(on: connection) || !job.lostConflict ? .committed : .rolledBackForConflict
        }
        var isolated = state.withLock { state in
            guard state.isolatedBatchesLeft > 0 else { return false }
            state.isolatedBatchesLeft -= 1
            return true
        }
        while true {
            try await connection.query("BEGIN", logger: logger)
            do {
                switch try await runWrites(of: batch, on: connection, isolated: isolated) {
                case .ran:
                    try await connection.query("COMMIT", logger: logger)
                    return .committed
                case .lostConflict:
                    try await connection.query("ROLLBACK", logger: logger)
                    return .rolledBackForConflict
                case .laterWriteFailed:
                    try await connection.query("ROLLBACK", logger: logger)
                    for job in batch { job.forget() }
                    isolated = true
                    isolatedReruns.add(1, ordering: .relaxed)
                    state.withLock { $0.isolatedBatchesLeft = Self.isolatedBatchesAfterAFailure }
                }
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Runs the writes of `batch` in the open transaction of `connection`, each after the first in its own
    /// savepoint when `isolated`, and stops at the first write that lost a conflict, or, when not `isolated`, at
    /// the first write after the first that failed.
    private func runWrites(of batch: [any PostgresGroupJob], on connection: PostgresConnection, isolated: Bool)
        async throws -> WritesOutcome
    {
        var holdsLocks = false
        /// After the write ending at `last` succeeded: the writes after it may not wait for locks.
        func limitLockWaits(after last: Int) async throws {
            guard !holdsLocks, last < batch.count - 1 else { return }
            try await connection.query(
                "SELECT set_config('lock_timeout', \(Self.laterWriteLockTimeout), true)", logger: logger)
            holdsLocks = true
        }
        var position = 0
        while position < batch.count {
            defer { position += 1 }
            let job = batch[position]
            if !isolated, let together = job.coalescing {
                // Writes of one kind next to each other run as one statement; a write it leaves out runs alone.
                let run = batch[position...].prefix { $0.coalescing?.kind == together.kind }
                if run.count > 1 {
                    let outputs: [(any Sendable)?]
                    do {
                        outputs = try await together.runTogether(run.map { $0.coalescing!.write }, connection)
                    } catch {
                        // Which write broke it is unknown: the batch runs again, each write on its own.
                        return .laterWriteFailed
                    }
                    coalescedWrites.add(run.count, ordering: .relaxed)
                    for (member, output) in zip(run, outputs) where !member.take(output) {
                        guard await member.run(on: connection) else {
                            return member.lostConflict ? .lostConflict : .laterWriteFailed
                        }
                    }
                    position += run.count - 1
                    try await limitLockWaits(after: position)
                    continue
                }
            }
            // The first write needs no savepoint (one round trip less): nothing precedes it, so when it fails
            // the transaction is rolled back and begun again for the writes after it.
            if position > 0, isolated {
                try await connection.query(PostgresQuery(unsafeSQL: "SAVEPOINT w\(position)"), logger: logger)
            }
            if await job.run(on: connection) {
                try await limitLockWaits(after: position)
                continue
            }
            if job.lostConflict { return .lostConflict }
            if position > 0, !isolated { return .laterWriteFailed }
            if position > 0 {
                try await connection.query(
                    PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT w\(position)"), logger: logger)
            } else {
                try await connection.query("ROLLBACK", logger: logger)
                try await connection.query("BEGIN", logger: logger)
            }
        }
        return .ran
    }
}

/// How the writes of a batch ran.
private enum WritesOutcome {
    /// Every write ran (some may have failed alone, rolled back to their savepoint): the batch commits.
    case ran
    /// A write lost a deadlock or a serialization conflict: the batch is rolled back.
    case lostConflict
    /// A write after the first failed with no savepoint to roll back to: the batch runs again with savepoints.
    case laterWriteFailed
}

/// How a batch's transaction ended.
private enum BatchEnd: Sendable {
    /// Every write ran (some may have failed alone, rolled back to their savepoint): committed.
    case committed
    /// A write lost a deadlock or a serialization conflict: the whole transaction rolled back.
    case rolledBackForConflict
}

/// One caller's write inside a group transaction.
private protocol PostgresGroupJob: AnyObject, Sendable {
    /// Runs the write; `false` when it threw and its savepoint must be rolled back.
    func run(on connection: PostgresConnection) async -> Bool
    /// Whether the write's last run lost a deadlock or a serialization conflict.
    var lostConflict: Bool { get }
    /// Whether the write changes the database in at most one statement (it needs no transaction of its own).
    var writesOnce: Bool { get }
    /// How the write runs in one statement with others of its kind, when it can.
    var coalescing: Coalescing? { get }
    /// Takes `output` as the result of its run together with others; `false` when there is none (it runs alone).
    func take(_ output: (any Sendable)?) -> Bool
    /// Whether the write runs again (its last result forgotten) after its batch ended so: after a commit, when
    /// it would have waited for a lock longer than a write after the first may; after a rollback for a conflict,
    /// always, unless it lost that conflict more than `maximumRetries` times (counting this one), when it keeps
    /// its error.
    func mustRunAgain(after end: BatchEnd, maximumRetries: Int) -> Bool
    /// Forgets the last run's result: the batch runs again from its start.
    func forget()
    /// Resumes the caller once the transaction ended.
    func finish(_ committed: Result<Void, any Error>)
}

/// A write and the caller waiting for it. `run`, `mustRunAgain` and `finish` are called one after the other by
/// the batch that holds the write (a write is in one batch at a time), so its mutable state is never touched
/// concurrently.
private final class PostgresWriteJob<T: Sendable>: PostgresGroupJob, @unchecked Sendable {
    private let body: @Sendable (PostgresConnection) async throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    private var result: Result<T, any Error>?
    private var conflictsLost = 0
    let writesOnce: Bool
    let coalescing: Coalescing?

    init(
        body: @escaping @Sendable (PostgresConnection) async throws -> T, writesOnce: Bool,
        coalescing: Coalescing? = nil, continuation: CheckedContinuation<T, any Error>
    ) {
        self.body = body
        self.writesOnce = writesOnce
        self.coalescing = coalescing
        self.continuation = continuation
    }

    func take(_ output: (any Sendable)?) -> Bool {
        guard let output = output as? T else { return false }
        result = .success(output)
        return true
    }

    func run(on connection: PostgresConnection) async -> Bool {
        do {
            result = .success(try await body(connection))
            return true
        } catch {
            result = .failure(error)
            return false
        }
    }

    /// The SQLSTATE of the last run's error, when PostgreSQL raised it.
    private var failureState: String? {
        guard case .failure(let error as PSQLError)? = result else { return nil }
        return error.serverInfo?[.sqlState]
    }

    var lostConflict: Bool { failureState == "40P01" || failureState == "40001" }

    func mustRunAgain(after end: BatchEnd, maximumRetries: Int) -> Bool {
        switch end {
        case .committed:
            // 55P03: the `lock_timeout` of a write after the first.
            guard failureState == "55P03" else { return false }
        case .rolledBackForConflict:
            if lostConflict {
                conflictsLost += 1
                guard conflictsLost <= maximumRetries else { return false }
            }
        }
        result = nil
        return true
    }

    func forget() { result = nil }

    func finish(_ committed: Result<Void, any Error>) {
        switch (result, committed) {
        case (.failure(let error)?, _): continuation.resume(throwing: error)
        case (.success(let value)?, .success): continuation.resume(returning: value)
        case (_, .failure(let error)): continuation.resume(throwing: error)
        case (nil, .success): preconditionFailure("a group commit finished a write it never ran")
        }
    }
}

/// A write that can run in one statement with the other writes of its kind that are next to it in a batch
/// (``PostgresGroupCommit/write(coalescing:)``): many invoices inserted by one `INSERT`, one round trip and one
/// plan for all of them. In a batch that runs again with savepoints (a write failed), each runs alone.
protocol PostgresCoalescedWrite: Sendable {
    associatedtype Output: Sendable
    /// Runs `writes` in one statement; returns each one's output, or `nil` for one that must run alone. Throws
    /// when the statement failed (every write then runs alone, in a batch with savepoints).
    static func runTogether(_ writes: [Self], on connection: PostgresConnection, _ logger: Logger) async throws
        -> [Output?]
    /// Runs this write alone.
    func run(on connection: PostgresConnection, _ logger: Logger) async throws -> Output
}

/// A coalesced write with its kind, type-erased for the batch.
private struct Coalescing: Sendable {
    let kind: ObjectIdentifier
    let write: any Sendable
    let runTogether: @Sendable ([any Sendable], PostgresConnection) async throws -> [(any Sendable)?]
}
