import Dispatch
import GRDB
import Synchronization

/// Commits concurrent write transactions together: one SQLite transaction, one sync to disk, many writers.
///
/// Each write runs in its own savepoint inside the shared transaction, so a write that throws is rolled back
/// alone while the others commit. A caller resumes only after the transaction that holds its write has
/// committed (or failed), so nothing is acknowledged before it is durable. Writes that arrive while a commit
/// is in progress form the next batch: there is no timer, and an idle writer adds no latency (the scheme
/// of LND's `batch` package).
///
/// The body runs on the writer's own queue, never on a Swift concurrency thread, so a sync to disk never
/// blocks the cooperative pool.
public final class GroupCommitWriter: Sendable {
    private let database: any DatabaseWriter
    private let maxBatch: Int
    private let queue: DispatchQueue
    private let state = Mutex(State())

    private struct State {
        var waiting: [any GroupCommitJob] = []
        var isDraining = false
    }

    /// A writer for `database`; at most `maxBatch` writes share one transaction.
    public init(database: any DatabaseWriter, label: String, maxBatch: Int = 256) {
        precondition(maxBatch > 0, "maxBatch must be positive")
        self.database = database
        self.maxBatch = maxBatch
        self.queue = DispatchQueue(label: label)
    }

    /// Runs `body` in a savepoint of the next group transaction and returns its result once that transaction
    /// committed. Throws what `body` threw (its changes are rolled back), or the commit's error.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = WriteJob(body: body, continuation: continuation)
            let mustStartDraining = state.withLock { state in
                state.waiting.append(job)
                defer { state.isDraining = true }
                return !state.isDraining
            }
            if mustStartDraining {
                queue.async { self.drain() }
            }
        }
    }

    /// Writes waiting for the next transaction (for tests).
    var waitingWrites: Int { state.withLock { $0.waiting.count } }

    /// Commits batches until no write is waiting.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [any GroupCommitJob] in
                guard !state.waiting.isEmpty else {
                    state.isDraining = false
                    return []
                }
                let count = min(maxBatch, state.waiting.count)
                defer { state.waiting.removeFirst(count) }
                return Array(state.waiting.prefix(count))
            }
            guard !batch.isEmpty else { return }
            commit(batch)
        }
    }

    private func commit(_ batch: [any GroupCommitJob]) {
        do {
            try database.writeWithoutTransaction { database in
                try database.inTransaction(.immediate) {
                    for job in batch {
                        try database.inSavepoint { job.run(in: database) ? .commit : .rollback }
                    }
                    return .commit
                }
            }
            for job in batch { job.finish(commitError: nil) }
        } catch {
            for job in batch { job.finish(commitError: error) }
        }
    }
}

/// One caller's write inside a group transaction.
private protocol GroupCommitJob: AnyObject, Sendable {
    /// Runs the write; `false` when it threw and its savepoint must be rolled back.
    func run(in database: Database) -> Bool
    /// Resumes the caller once the transaction ended.
    func finish(commitError: (any Error)?)
}

/// A write and the caller waiting for it. Its result is set by `run` and read by `finish`, both on the
/// writer's queue, one after the other.
private final class WriteJob<T: Sendable>: GroupCommitJob, @unchecked Sendable {
    private let body: @Sendable (Database) throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    private var result: Result<T, any Error>?

    init(body: @escaping @Sendable (Database) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func run(in database: Database) -> Bool {
        do {
            result = .success(try body(database))
            return true
        } catch {
            result = .failure(error)
            return false
        }
    }

    func finish(commitError: (any Error)?) {
        switch (result, commitError) {
        case (.failure(let error)?, _):
            continuation.resume(throwing: error)
        case (.success(let value)?, nil):
            continuation.resume(returning: value)
        case (_, let error?):
            continuation.resume(throwing: error)
        case (nil, nil):
            preconditionFailure("a group commit finished a write it never ran")
        }
    }
}
