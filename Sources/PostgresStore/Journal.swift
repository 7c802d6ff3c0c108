import Lightning
import Logging
import PostgresNIO
import StoreModel

/// The journal's writes on PostgreSQL, inside the caller's transaction: entries with their postings and
/// balances, holds, and the state a debit is checked against. A debit's check reads the account's balance row
/// `FOR UPDATE`: the row stays locked until the transaction ends, so a concurrent debit of the same account, on
/// any instance, waits and then sees the money already gone.
enum Journal {
    /// Appends one entry of `postings` (which must sum to zero) and moves each account's stored balance, in one
    /// statement, releasing the hold of `releasing` (a payment's, in the same statement) when given, then writes
    /// the entry's `account.credited`/`account.debited` events (``PostingEvents``) to the outbox after them;
    /// returns the entry id and those events. An unknown account throws `accountNotFound`.
    @discardableResult
    static func post(
        _ kind: EntryKind, at: Int64, paymentHash: PaymentHash?, transferID: String?,
        _ postings: [(account: String, amount: Int64)], releasing: PaymentHash? = nil,
        on connection: PostgresConnection, _ logger: Logger
    ) async throws -> (entryID: Int64, events: [EventOutbox.Pending]) {
        precondition(postings.reduce(0) { $0 + $1.amount } == 0, "a journal entry must sum to zero")
        let legs = postings.filter { $0.amount != 0 }
        // A balances row is moved once per statement: the hold released and the posting of one account add up.
        let query: PostgresQuery = """
            WITH entry AS (
                INSERT INTO ledger_entries (kind, at, payment_hash, transfer_id)
                VALUES (\(kind.rawValue), \(at), \(paymentHash?.hex), \(transferID)) RETURNING id
            ),
            legs AS (
                SELECT * FROM unnest(\(legs.map(\.account))::text[], \(legs.map(\.amount))::bigint[])
                    AS leg (account, amount)
            ),
            posted AS (
                INSERT INTO postings (entry_id, account, amount_msat, at)
                SELECT entry.id, legs.account, legs.amount, \(at) FROM entry, legs
            ),
            released AS (
                DELETE FROM holds WHERE payment_hash = \(releasing?.hex) RETURNING account, amount_msat
            ),
            deltas AS (
                SELECT account, CAST(sum(balance) AS BIGINT) AS balance, CAST(sum(held) AS BIGINT) AS held
                FROM (
                    SELECT account, amount AS balance, 0::bigint AS held FROM legs
                    UNION ALL SELECT account, 0::bigint, -amount_msat FROM released
                ) AS change
                GROUP BY account
            ),
            \(unescaped: movesSQL)
            SELECT (SELECT id FROM entry) AS id, (SELECT count(*) FROM moved) AS moved,
                (SELECT count(*) FROM deltas) AS accounts
            """
        let row: PostgresRandomAccessRow?
        do {
            row = try await connection.preparedRows(query, logger).first
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            throw StoreError(.accountNotFound, "no account among \(legs.map(\.account).joined(separator: ", "))")
        }
        guard let row, let entryID = try row.integer("id") else {
            throw StoreError(.database, "journal entry not stored")
        }
        guard try row.requiredInteger("moved") == row.requiredInteger("accounts") else {
            throw StoreError(.accountNotFound, "no account among \(legs.map(\.account).joined(separator: ", "))")
        }
        try await addSpends(SpendBuckets.spends(kind, postings), at: at, on: connection, logger)
        var events: [EventOutbox.Pending] = []
        for event in PostingEvents.events(
            entryID: entryID, kind: kind, at: at, paymentHash: paymentHash?.hex, transferID: transferID, postings)
        {
            events.append(try await EventOutbox.insert(event, on: connection, logger))
        }
        return (entryID, events)
    }

    /// Adds `spends` (user accounts' spending debits) to their accounts' bucket of the hour of `at` and deletes
    /// those accounts' buckets no window reaches (``SpendBuckets``), in one statement after the entry's, whose
    /// `balances` update already holds each account's row: two transactions debiting one account meet there
    /// first, never in the opposite order here.
    private static func addSpends(
        _ spends: [(account: String, amount: Int64)], at: Int64, on connection: PostgresConnection, _ logger: Logger
    ) async throws {
        guard !spends.isEmpty else { return }
        let hour = SpendBuckets.hour(of: at)
        let accounts = spends.map(\.account)
        _ = try await connection.preparedRows(
            """
            WITH pruned AS (
                DELETE FROM spend_buckets
                WHERE account = ANY(\(accounts)::text[]) AND hour < \(hour - SpendBuckets.keptHours)
            )
            INSERT INTO spend_buckets AS s (account, hour, spent_msat)
            SELECT account, \(hour), amount FROM unnest(\(accounts)::text[], \(spends.map(\.amount))::bigint[])
                AS spend (account, amount)
            ON CONFLICT (account, hour) DO UPDATE SET spent_msat = s.spent_msat + excluded.spent_msat
            """, logger)
    }

    /// Holds `amount` of `account` for the payment `paymentHash`, in one statement.
    static func hold(
        _ amount: Int64, of account: String, for paymentHash: PaymentHash, at: Int64,
        on connection: PostgresConnection, _ logger: Logger
    ) async throws {
        _ = try await connection.preparedRows(
            """
            WITH deltas AS (
                INSERT INTO holds (payment_hash, account, amount_msat, created_at)
                VALUES (\(paymentHash.hex), \(account), \(amount), \(at))
                RETURNING account, 0::bigint AS balance, amount_msat AS held
            ),
            \(unescaped: movesSQL)
            SELECT count(*) FROM moved
            """, logger)
    }

    /// Releases the hold of `paymentHash`, if any, in one statement.
    static func releaseHold(of paymentHash: PaymentHash, on connection: PostgresConnection, _ logger: Logger)
        async throws
    {
        _ = try await connection.preparedRows(
            """
            WITH deltas AS (
                DELETE FROM holds WHERE payment_hash = \(paymentHash.hex)
                RETURNING account, 0::bigint AS balance, -amount_msat AS held
            ),
            \(unescaped: movesSQL)
            SELECT count(*) FROM moved
            """, logger)
    }

    /// The first key of the transaction advisory locks `(class, shard)` by which a transaction claims a shard.
    static let shardLockClass: Int32 = 0x7434_6764

    /// The common tail of a statement that moves balances: applies each row of the CTE `deltas` (`account`,
    /// `balance`, `held`) to the account's `balances` row, or, for a system account, to a shard no other running
    /// transaction has claimed (``BalanceShards``: no hot row shared by every transaction). The transaction claims
    /// the shard with a transaction advisory lock, tried (never waited for) from its connection's own shard
    /// (server process id modulo the count) on; when all are claimed it takes its own and waits for that row.
    /// `moved` names the accounts moved.
    /// Shards are written in account order, so two statements lock the shard rows they share in the same order;
    /// a statement moves at most one user's row that its transaction has not locked already (a transfer's debit
    /// check locks both of its rows first, in id order).
    private static let movesSQL = """
        user_moves AS (
            UPDATE balances b SET balance_msat = b.balance_msat + d.balance, held_msat = b.held_msat + d.held
            FROM (SELECT * FROM deltas WHERE account NOT LIKE '@%' ORDER BY account) d
            WHERE b.account = d.account
            RETURNING b.account
        ),
        free_shard AS (
            SELECT coalesce(
                (SELECT candidate FROM generate_series(0, \(BalanceShards.count - 1)) AS step,
                    LATERAL (SELECT (pg_backend_pid() + step) % \(BalanceShards.count) AS candidate) AS shard
                WHERE pg_try_advisory_xact_lock(\(shardLockClass), candidate) LIMIT 1),
                pg_backend_pid() % \(BalanceShards.count)) AS shard
        ),
        system_moves AS (
            INSERT INTO balance_shards AS s (account, shard, balance_msat, held_msat)
            SELECT account, (SELECT shard FROM free_shard), balance, held FROM deltas
            WHERE account LIKE '@%' ORDER BY account
            ON CONFLICT (account, shard) DO UPDATE
            SET balance_msat = s.balance_msat + excluded.balance_msat, held_msat = s.held_msat + excluded.held_msat
            RETURNING s.account
        ),
        moved AS (SELECT account FROM user_moves UNION ALL SELECT account FROM system_moves)
        """

    /// The account `id` with its figures, or `nil`; `locking` reads its balance row `FOR UPDATE`.
    static func accountState(
        _ id: String, now: Int64, locking: Bool = false, on connection: PostgresConnection, _ logger: Logger
    ) async throws -> AccountState? {
        guard let row = try await balanceRow(id, locking: locking, on: connection, logger) else { return nil }
        return try AccountState(
            row: row, spentLastDay: try await spentLastDay(of: id, now: now, on: connection, logger))
    }

    /// The debit check of account `id` at `now` with its balance row locked until the transaction ends (unless
    /// `locking` is false), or the refusal when it does not exist. The spends of the last 24 hours are read only
    /// for an account with a daily limit (``DebitCheck/needsRecentSpends(_:)``).
    static func debitCheck(
        _ id: String, now: Int64, locking: Bool = true, on connection: PostgresConnection, _ logger: Logger
    ) async throws -> Result<DebitCheck, LedgerRefusal> {
        guard let row = try await balanceRow(id, locking: locking, on: connection, logger) else {
            return .failure(.accountNotFound(id))
        }
        var state = try AccountState(row: row, spentLastDay: 0)
        guard DebitCheck.needsRecentSpends(state.account) else {
            return .success(DebitCheck(state: state, recentSpends: []))
        }
        let spends = try await recentSpends(of: id, now: now, on: connection, logger)
        state.spentLastDay = spends.reduce(0) { $0 + $1.amount }
        return .success(DebitCheck(state: state, recentSpends: spends))
    }

    /// The account `id` joined with its balance, its `balances` row locked until the transaction ends when
    /// `locking`.
    private static func balanceRow(
        _ id: String, locking: Bool, on connection: PostgresConnection, _ logger: Logger
    ) async throws -> PostgresRandomAccessRow? {
        let lock = locking ? " FOR UPDATE OF b" : ""
        let query: PostgresQuery = "\(unescaped: LedgerQueries.accountState) WHERE a.id = \(id)\(unescaped: lock)"
        return try await connection.rows(query, logger).first
    }

    /// What account `id` spent in the 24 hours before `now` (``SpendBuckets``).
    static func spentLastDay(of id: String, now: Int64, on connection: PostgresConnection, _ logger: Logger)
        async throws -> Int64
    {
        let (sql, values) = LedgerQueries.spentLastDay(of: id, now: now)
        return try await connection.rows(PostgresStore.query(sql, values), logger).first?.integer("spent") ?? 0
    }

    /// A user account's spends of the 24 hours before `now`, as `LedgerQueries.recentSpends` reads them.
    static func recentSpends(of id: String, now: Int64, on connection: PostgresConnection, _ logger: Logger)
        async throws -> [(at: Int64, amount: Int64)]
    {
        let (sql, values) = LedgerQueries.recentSpends(of: id, now: now)
        return try await connection.rows(PostgresStore.query(sql, values), logger).map {
            (at: try $0.requiredInteger("at"), amount: try $0.requiredInteger("amount"))
        }
    }
}
