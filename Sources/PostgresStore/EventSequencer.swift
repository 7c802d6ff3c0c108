import Logging
import PostgresNIO
import StoreModel
import Synchronization

/// Gives outbox events their index, one gapless sequence across every instance, in commit order.
///
/// One instance at a time sequences: the holder of the session advisory lock ``leaderLockKey`` on the
/// sequencer's dedicated connection (PostgreSQL frees it when that session ends, even by SIGKILL of the process,
/// and another instance takes it within ``retryDelay``). Each batch is one statement, its own transaction, on
/// that connection: it copies a prefix of the outbox into `events` with the next indexes, marks those rows with
/// their index, then, once committed, sends `NOTIFY t4gd_events, '<newest index>'`. A batch that fails (the
/// leader dies mid-batch) commits nothing, and the next leader takes the same rows; `events.idx` is the primary
/// key, so an index is never given twice, and of two batches that overlap the later fails as a whole and runs
/// again (``sequenceBatch(on:_:)``).
///
/// Which rows a batch takes: every outbox row its snapshot sees without an index, in id order. A row is seen only
/// once its transaction has committed, and each writer inserts its event as its last statement, so a write that
/// read another write's committed result has both the larger outbox id and the later commit: the two are indexed
/// in that order (in one batch, or the first in an earlier one). Rows of transactions still running are taken by
/// a later batch, after rows that committed before them: indexes follow commit order, never waiting for a
/// running transaction. (Earlier versions waited behind the oldest running transaction to index strictly in
/// outbox-id order, an order no client can observe; one long transaction then stopped indexing, see
/// docs/postgres.md.)
final class EventSequencer: Sendable {
    /// The session lock of the sequencing instance.
    static let leaderLockKey: Int64 = 0x7434_6764_0003
    /// At most this many events per batch.
    static let batchLimit = 500
    /// How often a follower tries to take the lead, and a leader with nothing to do checks its connection.
    static let retryDelay: Duration = .milliseconds(250)
    /// The `application_name` of the sequencer's connection, as `pg_stat_activity` shows it.
    static let applicationName = "t4gd event sequencer"
    /// How long sequenced outbox rows are kept for their writers to read their index (seconds).
    static let keepSequencedSeconds: Int64 = 60

    private let connectionConfiguration: PostgresConnection.Configuration
    private let client: PostgresClient
    private let logger: Logger
    let waiters = OutboxWaiters()
    private let doorbell = Doorbell()
    /// Whether another instance's notice rang the doorbell since the last batch.
    private let noticed = Atomic<Bool>(false)
    private let wokenForNothing = Atomic<Int>(0)
    private let leading = Atomic<Bool>(false)
    private let outboxNotice = Mutex(OutboxNotice())
    private let progress = Mutex(Progress())

    /// When this process's sequencer last committed a batch, and why it last stopped.
    private struct Progress {
        var lastBatch: ContinuousClock.Instant?
        var lastError: String?
    }

    /// Whether a notice to another instance's sequencer is being sent, and whether another is due after it.
    private struct OutboxNotice {
        var isSending = false
        var isDueAgain = false
    }

    init(connectionConfiguration: PostgresConnection.Configuration, client: PostgresClient, logger: Logger) {
        var connectionConfiguration = connectionConfiguration
        connectionConfiguration.options.additionalStartupParameters = [("application_name", Self.applicationName)]
        self.connectionConfiguration = connectionConfiguration
        self.client = client
        self.logger = logger
    }

    /// Whether this process sequences now.
    var isLeading: Bool { leading.load(ordering: .relaxed) }

    /// Batches that found nothing although they ran for a reason (a ring, or a full batch before them).
    var batchesWokenForNothing: Int { wokenForNothing.load(ordering: .relaxed) }

    /// Follows the sequencer's lock until cancelled: sequences while holding it, otherwise listens for other
    /// instances' batches and hands their indexes to this process's waiting writers.
    func run() async {
        while !Task.isCancelled {
            do {
                try await PostgresStore.withDedicatedConnection(connectionConfiguration, logger) { connection in
                    if try await follow(connection) { try await lead(connection) }
                }
            } catch {
                guard !Task.isCancelled else { return }
                let reason = PostgresStore.reason(error)
                progress.withLock { $0.lastError = reason }
                logger.warning("event sequencer interrupted; reconnecting", metadata: ["error": "\(reason)"])
            }
            try? await Task.sleep(for: Self.retryDelay)
        }
    }

    /// Wakes the sequencer after a commit that wrote to the outbox: in this process directly, otherwise by a
    /// `NOTIFY t4gd_outbox` (several wakes while one is being sent fold into one more).
    func wake() {
        if isLeading {
            Task { await doorbell.ring() }
            return
        }
        let mustSend = outboxNotice.withLock { notice in
            if notice.isSending {
                notice.isDueAgain = true
                return false
            }
            notice.isSending = true
            return true
        }
        guard mustSend else { return }
        // Detached from the writer so that its answer does not wait for the notice; the notice is a statement
        // of its own (asynchronous commit: nothing to make durable) and not part of any business transaction,
        // whose commit would otherwise take PostgreSQL's notify queue lock.
        Task {
            repeat {
                do {
                    try await client.withConnection { connection in
                        _ = try await connection.query(
                            """
                            SELECT set_config('synchronous_commit', 'off', true),
                                pg_notify('\(unescaped: EventOutbox.outboxChannel)', '')
                            """, logger: logger)
                    }
                } catch {
                    logger.debug(
                        "cannot wake the event sequencer", metadata: ["error": "\(PostgresStore.reason(error))"])
                }
            } while outboxNotice.withLock { notice in
                defer { notice.isDueAgain = false }
                notice.isSending = notice.isDueAgain
                return notice.isDueAgain
            }
        }
    }

    /// Listens for other instances' batches until this process takes the sequencer's lock (`true`).
    private func follow(_ connection: PostgresConnection) async throws -> Bool {
        try await connection.listen(on: EventOutbox.eventsChannel) { notifications in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for try await _ in notifications { try await self.resolveWaitersFromDatabase() }
                    return false
                }
                group.addTask {
                    while !Task.isCancelled {
                        let acquired = try await connection.rows(
                            "SELECT pg_try_advisory_lock(\(Self.leaderLockKey)) AS acquired", self.logger
                        ).first?.bool("acquired")
                        if acquired == true { return true }
                        // Indexes given while a notification was missed (or before this process listened).
                        try await self.resolveWaitersFromDatabase()
                        try await Task.sleep(for: Self.retryDelay)
                    }
                    return false
                }
                let acquired = try await group.next() ?? false
                group.cancelAll()
                return acquired
            }
        }
    }

    /// Sequences while this process holds the lock, woken by its own writers and by other instances' notices.
    private func lead(_ connection: PostgresConnection) async throws {
        leading.store(true, ordering: .relaxed)
        defer { leading.store(false, ordering: .relaxed) }
        logger.notice("sequencing events")
        try await connection.listen(on: EventOutbox.outboxChannel) { notifications in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await _ in notifications {
                        self.noticed.store(true, ordering: .relaxed)
                        await self.doorbell.ring()
                    }
                }
                group.addTask { try await connection.onEventLoop { try await self.sequenceWhileLeading(connection) } }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    private func sequenceWhileLeading(_ connection: PostgresConnection) async throws {
        var lastPrune = ContinuousClock.now
        // Whether this batch runs for a reason (a ring, a full batch before it), not at the start or after a
        // quiet ``retryDelay``.
        var woken = false
        while !Task.isCancelled {
            let indexed = try await Self.sequenceBatch(on: connection, logger)
            progress.withLock { $0.lastBatch = .now }
            if !indexed.isEmpty {
                await waiters.resolve(indexed)
            } else if woken {
                wokenForNothing.add(1, ordering: .relaxed)
            }
            // A full batch may have left rows behind. Otherwise every row committed after this batch's snapshot
            // rings the doorbell after its commit (its writer, or another instance's notice), and a ring while
            // the batch ran is kept: looking again at once would mostly find nothing.
            if indexed.count == Self.batchLimit { continue }
            if ContinuousClock.now - lastPrune > .seconds(10) {
                try await Self.pruneSequenced(on: connection, logger)
                lastPrune = .now
            }
            woken = await waitForWork()
        }
    }

    /// Waits until a batch may find rows: another instance's notice, a writer of this process still waiting for
    /// its index, or ``retryDelay`` without a ring. A ring of a writer whose row the last batch already took (it
    /// rang after its commit, while that batch ran) is passed over: that batch would have found nothing. Returns
    /// `false` after the quiet ``retryDelay``.
    private func waitForWork() async -> Bool {
        while await doorbell.wait(timeout: Self.retryDelay) {
            if noticed.exchange(false, ordering: .relaxed) { return true }
            if await waiters.hasWaiting { return true }
        }
        return false
    }

    /// Reads the indexes of this process's waiting outbox rows that another instance's sequencer has given.
    private func resolveWaitersFromDatabase() async throws {
        let ids = await waiters.pendingIDs
        guard !ids.isEmpty else { return }
        let rows = try await client.withConnection { connection in
            try await connection.rows(
                "SELECT id, idx FROM event_outbox WHERE id = ANY(\(ids)) AND idx IS NOT NULL", self.logger)
        }
        await waiters.resolve(try rows.map { (try $0.requiredInteger("id"), try $0.requiredInteger("idx")) })
    }

    /// Indexes one batch of the outbox in one statement (its own transaction) on `connection`: returns each
    /// row's outbox id and its new index, in index order (empty when nothing is waiting).
    ///
    /// Two batches that overlap (two sequencers for a moment) start from the same newest index, so the later
    /// one to commit meets the other's first index in the primary key of `events` and fails as a whole; it is
    /// run again from the other's committed result. A batch that started after the other committed sees its
    /// indexes and its marked rows and takes only what is left.
    static func sequenceBatch(on connection: PostgresConnection, _ logger: Logger) async throws
        -> [(outboxID: Int64, index: Int64)]
    {
        var indexed: [(outboxID: Int64, index: Int64)]
        while true {
            do {
                indexed = try await connection.preparedRows(
                    """
                    WITH batch AS (
                        SELECT id, type, at, data, row_number() OVER (ORDER BY id) AS n FROM event_outbox
                        WHERE idx IS NULL ORDER BY id LIMIT \(batchLimit)
                    ),
                    base AS (SELECT coalesce(max(idx), 0) AS top FROM events),
                    appended AS (
                        INSERT INTO events (idx, type, at, data)
                        SELECT base.top + batch.n, batch.type, batch.at, batch.data FROM batch, base
                        RETURNING idx
                    ),
                    marked AS (
                        UPDATE event_outbox SET idx = base.top + batch.n,
                            sequenced_at = extract(epoch FROM clock_timestamp())::bigint
                        FROM batch, base WHERE event_outbox.id = batch.id
                        RETURNING event_outbox.id, event_outbox.idx
                    )
                    SELECT marked.id, marked.idx FROM marked
                    WHERE marked.idx IN (SELECT idx FROM appended) ORDER BY marked.idx
                    """, logger
                ).map { (outboxID: try $0.requiredInteger("id"), index: try $0.requiredInteger("idx")) }
                break
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                logger.debug("another sequencer's batch took the same indexes first; taking the rest")
            }
        }
        // The notice goes out after the batch is durable, in a statement of its own with asynchronous commit: a
        // NOTIFY in the batch would hold PostgreSQL's cluster-wide notify lock through the batch's WAL flush, and
        // every other notifying commit (other wallets' sequencers, writers waking this one) would wait for it.
        if let newest = indexed.last?.index {
            try await connection.query(
                """
                SELECT set_config('synchronous_commit', 'off', true),
                    pg_notify('\(unescaped: EventOutbox.eventsChannel)', \(String(newest)))
                """, logger: logger)
        }
        return indexed
    }

    /// What this process's sequencer is doing, in words: whether it leads, when its last batch ran, why it last
    /// stopped.
    var state: String {
        let (lastBatch, lastError) = progress.withLock { ($0.lastBatch, $0.lastError) }
        var words = isLeading ? "this instance sequences" : "this instance does not sequence"
        if let lastBatch { words += ", its last batch \((ContinuousClock.now - lastBatch).components.seconds) s ago" }
        if let lastError { words += ", its sequencer last stopped on: \(lastError)" }
        return words
    }

    /// Why the outbox row `outboxID` has no index yet, read from the server: whether the row exists, how many
    /// rows wait, which session holds the sequencer's lock (if any) and how old the oldest open transaction of
    /// the database is. `nil` when the row has its index after all.
    static func diagnosis(of outboxID: Int64, on connection: PostgresConnection, _ logger: Logger) async throws
        -> String?
    {
        let row = try await connection.rows(
            """
            SELECT (SELECT coalesce(idx, 0) FROM event_outbox WHERE id = \(outboxID)) AS idx,
                (SELECT count(*) FROM event_outbox WHERE idx IS NULL) AS waiting,
                (SELECT a.pid || ' (' || a.application_name || ', ' || coalesce(a.state, 'unknown') || ' for '
                        || round(extract(epoch FROM now() - a.state_change)) || ' s)'
                    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                        AND l.classid::bigint = \(leaderLockKey >> 32)
                        AND l.objid::bigint = \(leaderLockKey & 0xFFFF_FFFF)
                    LIMIT 1) AS holder,
                (SELECT round(extract(epoch FROM now() - min(xact_start)))::bigint FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()) AS oldest
            """, logger
        ).first
        guard let row else { return "the server gave no answer" }
        let index = try row.integer("idx")
        if let index, index > 0 { return nil }
        var words =
            index == nil
            ? "its outbox row is gone (the transaction that wrote it did not commit)"
            : "\(try row.requiredInteger("waiting")) events wait for an index"
        if let holder = try row.text("holder") {
            words += "; the sequencer's lock is held by server process \(holder)"
        } else {
            words += "; no instance holds the sequencer's lock"
        }
        if let oldest = try row.integer("oldest") { words += "; the oldest open transaction began \(oldest) s ago" }
        return words
    }

    /// Whether any outbox row waits for its index.
    static func hasUnindexed(on connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        try await connection.rows(
            "SELECT EXISTS (SELECT 1 FROM event_outbox WHERE idx IS NULL) AS pending", logger
        ).first?.bool("pending") == true
    }

    /// Deletes outbox rows indexed longer ago than their writers wait.
    private static func pruneSequenced(on connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.query(
            """
            DELETE FROM event_outbox
            WHERE idx IS NOT NULL AND sequenced_at < extract(epoch FROM clock_timestamp())::bigint - \(keepSequencedSeconds)
            """, logger: logger)
    }
}
