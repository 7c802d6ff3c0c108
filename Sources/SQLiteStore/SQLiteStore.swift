import Dispatch
import GRDB
import GroupCommit
import Lightning
import StoreModel

/// The store in one SQLite file (WAL): the embedded engine, for one daemon instance.
///
/// Every state change and the event that reports it are written in one transaction, so the event log is
/// exactly the history of the tables. Writes go through one ``GroupCommitWriter``: concurrent writes share a
/// transaction and its sync to disk, each in its own savepoint, and return only once committed. Readers run
/// concurrently on the `DatabasePool`.
public final class SQLiteStore: StoreEngine {
    /// How the store is opened.
    public struct Configuration: Sendable {
        /// The database file.
        public var path: String
        /// `true`: fsync on every commit (survives power loss); `false`: WAL `synchronous=NORMAL`
        /// (survives a process crash, may lose the last commits on power loss).
        public var fullSync: Bool

        /// Creates a configuration.
        public init(path: String, fullSync: Bool = true) {
            self.path = path
            self.fullSync = fullSync
        }
    }

    let database: DatabasePool
    private let writer: GroupCommitWriter
    /// Accounts read this second, until a write changes them (``AccountStateCache``).
    let accountStates = AccountStateCache()

    public var kind: StoreEngineKind { .sqlite }

    /// Opens (creating if needed) and migrates the store.
    public init(configuration: Configuration) throws(StoreError) {
        var options = GRDB.Configuration()
        let fullSync = configuration.fullSync
        options.prepareDatabase { database in
            try database.execute(sql: "PRAGMA synchronous = \(fullSync ? "FULL" : "NORMAL")")
        }
        options.busyMode = .timeout(10)
        do {
            database = try DatabasePool(path: configuration.path, configuration: options)
            try SQLiteMigrations.migrator.migrate(database)
        } catch {
            throw StoreError(.database, "cannot open \(configuration.path): \(Self.reason(error))")
        }
        writer = GroupCommitWriter(database: database, label: "t4gd.store.writer")
        database.add(transactionObserver: AccountRowObserver(cache: accountStates), extent: .databaseLifetime)
    }

    /// Opens (creating if needed) and migrates the store on a Dispatch thread: opening may wait for another
    /// process's write lock, which must not hold one of Swift concurrency's few cooperative threads.
    public static func open(configuration: Configuration) async throws(StoreError) -> SQLiteStore {
        try await offCooperativePool { () throws(StoreError) in try SQLiteStore(configuration: configuration) }
    }

    /// Runs blocking work on a Dispatch thread and waits for it without holding a cooperative thread.
    static func offCooperativePool<T: Sendable>(
        _ body: @escaping @Sendable () throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<T, StoreError>, Never>) in
            DispatchQueue.global().async { continuation.resume(returning: Result(catching: body)) }
        }
        return try result.get()
    }

    /// A SQLite store has no background work: its reads and writes run on GRDB's own queues.
    public func serveConnections() async {}

    /// Closes the database; later calls fail.
    public func close() throws(StoreError) {
        try perform("close") { try database.close() }
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await read("read migrations") { try SQLiteMigrations.migrator.appliedMigrations($0) }
    }

    /// Runs `PRAGMA integrity_check`; `true` when SQLite answers `ok`.
    public func integrityCheck() async throws(StoreError) -> Bool {
        try await read("integrity check") { try String.fetchOne($0, sql: "PRAGMA integrity_check") == "ok" }
    }

    /// One process serves a SQLite store: it always leads.
    public func whileLeading(
        _ name: String, retryDelay: Duration, _ body: @escaping @Sendable () async throws -> Void
    ) async throws {
        try await body()
    }

    /// One process serves a SQLite store: no other instance appends events.
    public func followEvents(_ published: @escaping @Sendable (Int64) async -> Void) async throws {}

    /// Runs `body` as one write of the next group commit; returns once it is durable.
    func write<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await writer.write(body)
        } catch {
            throw Self.storeError(error, operation)
        }
    }

    /// Runs `body` on one of the pool's reader connections, awaited without holding a cooperative thread: a
    /// slow read waits on the reader's Dispatch queue, not on one of Swift concurrency's few threads.
    func read<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await database.read(body)
        } catch {
            throw Self.storeError(error, operation)
        }
    }

    func perform<T>(_ operation: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw Self.storeError(error, operation)
        }
    }

    /// The store error for a failure of `operation`: a ``StoreError`` thrown inside as it is, anything else as
    /// `database` with SQLite's message (never the SQL or its values).
    static func storeError(_ error: any Error, _ operation: String) -> StoreError {
        if let error = error as? StoreError { return error }
        return StoreError(.database, "\(operation): \(reason(error))")
    }

    /// SQLite's message without the SQL text or arguments, which may hold secrets.
    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "\(error.resultCode)" + (error.message.map { " (\($0))" } ?? "")
        }
        return String(describing: type(of: error))
    }

    /// One page of `table` newest first (`limit + 1` rows, to tell whether another page follows), optionally of
    /// one status and of one account, before the rowid `cursor`.
    static func newestFirst(
        _ table: String, status: String?, account: String?, limit: Int, cursor: String?, _ database: Database
    ) throws -> [Row] {
        try Row.fetchAll(
            database,
            sql: """
                SELECT rowid AS cursor_id, * FROM \(table)
                WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR rowid < ?2) AND \(accountCondition(account))
                ORDER BY rowid DESC LIMIT ?3
                """,
            arguments: [status, cursor.flatMap { Int64($0) }, limit + 1, account])
    }

    /// The condition on `account` of a filtered list (`?4`): in the SQL only when an account is asked, so SQLite
    /// plans the query on an account index; without one, `?4` is bound to `NULL` and matches every row.
    static func accountCondition(_ account: String?) -> String {
        account == nil ? "?4 IS NULL" : "account = ?4"
    }

    static func insertEvent(_ event: NewEvent, in database: Database) throws -> EventRecord {
        try database.cachedStatement(sql: "INSERT INTO events (type, at, data) VALUES (?, ?, ?)")
            .execute(arguments: [event.type, event.at, event.data])
        return EventRecord(index: database.lastInsertedRowID, type: event.type, at: event.at, data: event.data)
    }
}
