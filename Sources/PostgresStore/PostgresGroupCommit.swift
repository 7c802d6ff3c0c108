import Logging
import PostgresNIO
import StoreModel
import Synchronization

/// Commits concurrent writes of one instance together: one PostgreSQL transaction, one commit (one WAL flush),
/// many writers, as `GroupCommitWriter` does for SQLite.
///
/// Each write after the first runs in its own savepoint of the shared transaction, so a write that throws (a
/// constraint, a conflict, a store rule) is rolled back alone while the others commit (the first, when it
/// throws, by rolling back the transaction, which holds nothing else yet). A caller resumes only after the
/// transaction holding its write has committed (or failed), so nothing is answered before it is durable. Writes
/// that arrive while batches are in flight form the next batch: there is no timer. Up to
/// ``maximumConcurrentBatches`` batches run at once, each on its own pooled connection, so one write waiting on
/// a row lock (another instance's transaction) holds back only its own batch. A write that PostgreSQL chose as
/// a deadlock or serialization victim is rolled back to its savepoint and runs again in a later batch.
final class PostgresGroupCommit: Sendable {
    /// At most this many writes share a transaction (each savepoint that writes is a subtransaction; more than
    /// 64 of them in one transaction slow every snapshot of the server).
    static let maximumBatch = 48
    /// Batches in flight at once.
    static let maximumConcurrentBatches = 4
    /// How often a write that lost a deadlock or a serialization conflict is run again. Writes of one batch lock
    /// rows in the order the writes come, so two batches can deadlock on two accounts' rows although each write
    /// locks its own rows in id order; under a burst of debits of one account (50 at once through three
    /// instances, `LedgerStoreTests`) a write lost up to four times in a row, so it has eight tries.
    static let maximumRetries = 8

    private let client: PostgresClient
    private let logger: Logger
    private let transactionEnded: @Sendable () -> Void
    private let state = Mutex(State())

    private struct State {
        var waiting: [any PostgresGroupJob] = []
        var batchesInFlight = 0
    }

    /// Creates the group commit of `client`'s connections; `transactionEnded` is called after each batch's
    /// transaction has ended (committed or not).
    init(client: PostgresClient, logger: Logger, transactionEnded: @escaping @Sendable () -> Void = {}) {
        self.client = client
        self.logger = logger
        self.transactionEnded = transactionEnded
    }

    /// Runs `body` in a savepoint of the next group transaction and returns its result once that transaction
    /// committed. Throws what `body` threw (its changes are rolled back), or the commit's error.
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue([PostgresWriteJob(body: body, continuation: continuation)])
        }
    }

    private func enqueue(_ jobs: [any PostgresGroupJob]) {
        let mustStartBatch = state.withLock { state in
            state.waiting.append(contentsOf: jobs)
            guard state.batchesInFlight < Self.maximumConcurrentBatches else { return false }
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
        let committed: Result<Void, any Error>
        do {
            try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    for (position, job) in batch.enumerated() {
                        // The first write needs no savepoint (one round trip less): nothing precedes it, so when
                        // it fails the transaction is rolled back and begun again for the writes after it.
                        if position > 0 {
                            try await connection.query(
                                PostgresQuery(unsafeSQL: "SAVEPOINT w\(position)"), logger: logger)
                        }
                        if await !job.run(on: connection) {
                            if position > 0 {
                                try await connection.query(
                                    PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT w\(position)"), logger: logger)
                            } else {
                                try await connection.query("ROLLBACK", logger: logger)
                                try await connection.query("BEGIN", logger: logger)
                            }
                        }
                    }
                    try await connection.query("COMMIT", logger: logger)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
            committed = .success(())
        } catch {
            committed = .failure(error)
        }
        transactionEnded()
        var again: [any PostgresGroupJob] = []
        for job in batch {
            if case .success = committed, job.mustRunAgain(maximumRetries: Self.maximumRetries) {
                again.append(job)
            } else {
                job.finish(committed)
            }
        }
        if !again.isEmpty { enqueue(again) }
    }
}

/// One caller's write inside a group transaction.
private protocol PostgresGroupJob: AnyObject, Sendable {
    /// Runs the write; `false` when it threw and its savepoint must be rolled back.
    func run(on connection: PostgresConnection) async -> Bool
    /// Whether the write lost a deadlock or serialization conflict and may run again (counting the try).
    func mustRunAgain(maximumRetries: Int) -> Bool
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
    private var tries = 0

    init(
        body: @escaping @Sendable (PostgresConnection) async throws -> T,
        continuation: CheckedContinuation<T, any Error>
    ) {
        self.body = body
        self.continuation = continuation
    }

    func run(on connection: PostgresConnection) async -> Bool {
        tries += 1
        do {
            result = .success(try await body(connection))
            return true
        } catch {
            result = .failure(error)
            return false
        }
    }

    func mustRunAgain(maximumRetries: Int) -> Bool {
        guard case .failure(let error as PSQLError)? = result, tries <= maximumRetries,
            let state = error.serverInfo?[.sqlState], state == "40P01" || state == "40001"
        else { return false }
        result = nil
        return true
    }

    func finish(_ committed: Result<Void, any Error>) {
        switch (result, committed) {
        case (.failure(let error)?, _): continuation.resume(throwing: error)
        case (.success(let value)?, .success): continuation.resume(returning: value)
        case (_, .failure(let error)): continuation.resume(throwing: error)
        case (nil, .success): preconditionFailure("a group commit finished a write it never ran")
        }
    }
}
