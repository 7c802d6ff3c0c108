import Lightning
import PostgresNIO
import StoreModel

extension PostgresStore {
    /// Creates an account with a zero balance; see ``StoreEngine/createAccount(_:)``. Two instances creating
    /// one id at once: the primary key makes one insert win, the other reads it.
    public func createAccount(_ record: AccountRecord) async throws(StoreError) -> AccountInsertion {
        try await transaction("create account") { connection in
            let inserted = try await connection.rows(
                """
                INSERT INTO accounts (id, name, metadata, max_payment_msat, daily_spend_msat, status, created_at,
                    request_fingerprint)
                VALUES (\(record.id), \(record.name), \(record.metadata), \(record.limits.maxPayment?.rawValue),
                    \(record.limits.dailySpend?.rawValue), \(record.status.rawValue), \(record.createdAt),
                    \(record.requestFingerprint))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger)
            if !inserted.isEmpty {
                try await connection.query(
                    "INSERT INTO balances (account, balance_msat, held_msat) VALUES (\(record.id), 0, 0)",
                    logger: logger)
                return .created(AccountState(account: record, balance: 0, held: 0, spentLastDay: 0))
            }
            guard
                let existing = try await Journal.accountState(
                    record.id, now: record.createdAt, on: connection, logger),
                existing.account.requestFingerprint == record.requestFingerprint
            else { throw StoreError(.accountConflict, "account \(record.id) exists with other parameters") }
            return .existing(existing)
        }
    }

    /// The account `id` with its figures.
    public func account(id: String, now: Int64) async throws(StoreError) -> AccountState? {
        try await onConnection("read account") { connection in
            try await Journal.accountState(id, now: now, on: connection, logger)
        }
    }

    /// Accounts in id order, filtered, with their total.
    public func accounts(status: AccountStatus?, prefix: String?, limit: Int, cursor: String?, now: Int64)
        async throws(StoreError) -> Page<AccountState>
    {
        try await onConnection("list accounts") { connection in
            let state = status?.rawValue
            let rows = try await connection.rows(
                """
                \(unescaped: LedgerQueries.accountState)
                WHERE (\(state)::text IS NULL OR a.status = \(state))
                    AND (\(prefix)::text IS NULL OR left(a.id, length(\(prefix))) = \(prefix))
                    AND (\(cursor)::text IS NULL OR a.id COLLATE "C" > \(cursor))
                ORDER BY a.id COLLATE "C" LIMIT \(limit + 1)
                """, logger)
            let total = try await connection.rows(
                """
                SELECT count(*) AS total FROM accounts a WHERE (\(state)::text IS NULL OR a.status = \(state))
                    AND (\(prefix)::text IS NULL OR left(a.id, length(\(prefix))) = \(prefix))
                """, logger
            ).first?.integer("total")
            var items: [AccountState] = []
            for row in rows.prefix(limit) {
                let id = try row.requiredText("id")
                let spent = try await Journal.spentLastDay(of: id, now: now, on: connection, logger)
                items.append(try AccountState(row: row, spentLastDay: spent))
            }
            return Page(items: items, nextCursor: rows.count > limit ? items.last?.account.id : nil, total: total)
        }
    }

    /// Changes an account that is not closed; `nil` when there is no such account.
    public func updateAccount(_ id: String, _ change: AccountChange, now: Int64) async throws(StoreError)
        -> AccountState?
    {
        try await transaction("update account") { connection in
            guard let current = try await Journal.accountState(id, now: now, locking: true, on: connection, logger)
            else { return nil }
            guard current.account.status != .closed else {
                throw StoreError(.accountConflict, "account \(id) is closed")
            }
            let limits = change.limits ?? current.account.limits
            try await connection.query(
                """
                UPDATE accounts SET name = \(change.name ?? current.account.name),
                    metadata = \(change.metadata ?? current.account.metadata),
                    max_payment_msat = \(limits.maxPayment?.rawValue), daily_spend_msat = \(limits.dailySpend?.rawValue),
                    status = \((change.status ?? current.account.status).rawValue)
                WHERE id = \(id)
                """, logger: logger)
            return try await Journal.accountState(id, now: now, on: connection, logger)
        }
    }

    /// Closes an empty account; `nil` when there is no such account.
    public func closeAccount(_ id: String, now: Int64) async throws(StoreError) -> AccountState? {
        try await transaction("close account") { connection in
            guard let current = try await Journal.accountState(id, now: now, locking: true, on: connection, logger)
            else { return nil }
            guard current.account.status != .closed else { return current }
            let openInvoices = try await connection.rows(
                "SELECT count(*) AS n FROM invoices WHERE account = \(id) AND status = 'open'", logger
            ).first?.integer("n")
            guard current.balance == 0, current.held == 0, openInvoices == 0 else {
                throw StoreError(.accountConflict, "account \(id) still has money, holds or open invoices")
            }
            try await connection.query("UPDATE accounts SET status = 'closed' WHERE id = \(id)", logger: logger)
            return try await Journal.accountState(id, now: now, on: connection, logger)
        }
    }

    /// Moves money between two accounts; see ``StoreEngine/transfer(_:key:)``. The idempotency key is
    /// claimed first (a concurrent call with the same key waits for this one, then replays it), then both
    /// balance rows are locked in id order, checked and moved.
    public func transfer(_ record: TransferRecord, key: WriteKey) async throws(StoreError) -> TransferOutcome {
        let written: Written = try await write("transfer") { [logger] connection in
            let claimed = try await connection.rows(
                """
                INSERT INTO write_keys (method, idempotency_key, fingerprint, object_id, created_at)
                VALUES (\(key.method), \(key.key), \(key.fingerprint), \(key.objectID), \(key.createdAt))
                ON CONFLICT DO NOTHING RETURNING object_id
                """, logger)
            guard !claimed.isEmpty else { return .done(try await Self.replay(key, on: connection, logger)) }
            switch try await Self.move(record, on: connection, logger) {
            case .success(let (stored, pending)): return .moved(stored, pending)
            case .failure(let refusal):
                try await connection.query(
                    "DELETE FROM write_keys WHERE method = \(key.method) AND idempotency_key = \(key.key)",
                    logger: logger)
                return .done(.refused(refusal))
            }
        }
        switch written {
        case .done(let outcome): return outcome
        case .moved(let stored, let pending):
            var appended: [EventRecord] = []
            for event in pending { appended.append(try await indexed(event)) }
            return .transferred(stored, appended)
        }
    }

    /// A transfer's write, before its events are indexed (after the commit, by the sequencer).
    private enum Written: Sendable {
        case done(TransferOutcome)
        case moved(TransferRecord, [EventOutbox.Pending])
    }

    private static func replay(_ key: WriteKey, on connection: PostgresConnection, _ logger: Logger) async throws
        -> TransferOutcome
    {
        let stored = try await connection.rows(
            "SELECT * FROM write_keys WHERE method = \(key.method) AND idempotency_key = \(key.key)", logger
        ).first.map(WriteKey.init(row:))
        guard let stored, stored.fingerprint == key.fingerprint,
            let first = try await connection.rows(
                "SELECT * FROM transfers WHERE transfer_id = \(stored.objectID)", logger
            ).first.map(TransferRecord.init(row:))
        else { throw StoreError(.idempotencyConflict, "the idempotency key of a transfer is already used") }
        return .replayed(first)
    }

    /// Checks and moves the money of `record` with both balance rows locked; the stored transfer with its
    /// entry's events, or why not.
    private static func move(_ record: TransferRecord, on connection: PostgresConnection, _ logger: Logger)
        async throws -> Result<(TransferRecord, [EventOutbox.Pending]), LedgerRefusal>
    {
        var checks: [String: DebitCheck] = [:]
        for id in [record.from, record.to].sorted() {
            switch try await Journal.debitCheck(id, now: record.createdAt, on: connection, logger) {
            case .failure(let refusal): return .failure(refusal)
            case .success(let check): checks[id] = check
            }
        }
        guard let source = checks[record.from], let target = checks[record.to] else {
            return .failure(.accountNotFound(record.from))
        }
        guard target.state.account.status != .closed else { return .failure(.accountFrozen(record.to, .closed)) }
        if let refusal = source.refusal(of: record.amount.rawValue, for: .transfer, now: record.createdAt) {
            return .failure(refusal)
        }
        var stored = record
        let posted = try await Journal.post(
            .transfer, at: record.createdAt, paymentHash: nil, transferID: record.transferID,
            [(record.from, -record.amount.rawValue), (record.to, record.amount.rawValue)], on: connection, logger)
        stored.entryID = posted.entryID
        try await connection.query(
            """
            INSERT INTO transfers (transfer_id, from_account, to_account, amount_msat, memo, created_at, entry_id)
            VALUES (\(stored.transferID), \(stored.from), \(stored.to), \(stored.amount.rawValue), \(stored.memo),
                \(stored.createdAt), \(stored.entryID))
            """, logger: logger)
        return .success((stored, posted.events))
    }

    /// The transfer with this id.
    public func transfer(id: String) async throws(StoreError) -> TransferRecord? {
        try await onConnection("read transfer") { connection in
            try await connection.rows("SELECT * FROM transfers WHERE transfer_id = \(id)", logger).first
                .map(TransferRecord.init(row:))
        }
    }

    /// One account's lines newest first (``StatementSQL``), with the totals of the filtered range, read in one
    /// snapshot (PostgreSQL numbers its parameters `$N` where SQLite reads `?N`).
    public func statement(account: String, filter: StatementFilter, limit: Int, cursor: String?)
        async throws(StoreError) -> AccountStatement
    {
        try await transaction("read statement") { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            var lines: [[(line: StatementLine, position: StatementPosition)]] = []
            var totals: [PostgresRandomAccessRow?] = []
            for part in StatementSQL.parts(filter) {
                let page = StatementSQL.lineArguments(
                    part, account: account, filter: filter, cursor: cursor, limit: limit)
                lines.append(
                    try StatementSQL.lines(try await connection.rows(Self.query(part.lines, page), logger), of: part))
                let range = StatementSQL.totalsArguments(part, account: account, filter: filter)
                totals.append(try await connection.rows(Self.query(part.totals, range), logger).first)
            }
            return AccountStatement(
                page: StatementSQL.page(lines, limit: limit), totals: try StatementSQL.totals(totals))
        }
    }

    /// Checks the journal against the balances and holds, in one snapshot.
    public func ledgerAudit() async throws(StoreError) -> LedgerAudit {
        try await transaction("audit ledger") { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            func strings(_ sql: String) async throws -> [String] {
                try await connection.rows(PostgresQuery(unsafeSQL: sql), logger).map { row in
                    try row.requiredText(row.first?.columnName ?? "")
                }
            }
            func integers(_ sql: String) async throws -> [Int64] {
                try await connection.rows(PostgresQuery(unsafeSQL: sql), logger).map { row in
                    try row.requiredInteger(row.first?.columnName ?? "")
                }
            }
            func integer(_ sql: String) async throws -> Int64 { try await integers(sql).first ?? 0 }
            return LedgerAudit(
                entries: try await integer("SELECT count(*) AS n FROM ledger_entries"),
                postings: try await integer("SELECT count(*) AS n FROM postings"),
                unbalancedEntries: try await integers(LedgerAuditSQL.unbalancedEntries),
                mismatchedAccounts: try await strings(LedgerAuditSQL.mismatchedAccounts),
                negativeAccounts: try await strings(LedgerAuditSQL.negativeAccounts),
                staleHolds: try await strings(LedgerAuditSQL.staleHolds),
                liabilities: try await integer(LedgerAuditSQL.liabilities),
                nodeBalance: -(try await integer(LedgerAuditSQL.nodePostings)))
        }
    }
}
