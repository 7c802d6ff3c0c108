import GRDB
import Lightning
import StoreModel

extension SQLiteStore {
    /// Creates an account with a zero balance; see ``StoreEngine/createAccount(_:)``.
    public func createAccount(_ record: AccountRecord) async throws(StoreError) -> AccountInsertion {
        try await write("create account") { database in
            if let existing = try Self.accountState(record.id, now: record.createdAt, in: database) {
                guard existing.account.requestFingerprint == record.requestFingerprint else {
                    throw StoreError(.accountConflict, "account \(record.id) exists with other parameters")
                }
                return .existing(existing)
            }
            try database.execute(
                sql: """
                    INSERT INTO accounts (id, name, metadata, max_payment_msat, daily_spend_msat, status, created_at,
                        request_fingerprint)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.id, record.name, record.metadata, record.limits.maxPayment?.rawValue,
                    record.limits.dailySpend?.rawValue, record.status.rawValue, record.createdAt,
                    record.requestFingerprint,
                ])
            try database.execute(
                sql: "INSERT INTO balances (account, balance_msat, held_msat) VALUES (?, 0, 0)", arguments: [record.id])
            return .created(AccountState(account: record, balance: 0, held: 0, spentLastDay: 0))
        }
    }

    /// The account `id` with its figures: from the cache when it was read at the same `now` since its rows last
    /// changed (``AccountStateCache``).
    public func account(id: String, now: Int64) async throws(StoreError) -> AccountState? {
        if let cached = accountStates.state(of: id, now: now) { return cached }
        let generation = accountStates.generation
        let read = try await read("read account") { database in try Self.accountStateAndRows(id, now: now, in: database)
        }
        accountStates.keep(read?.state, rows: read?.rows, of: id, now: now, readFrom: generation)
        return read?.state
    }

    /// Accounts in id order, filtered, with their total.
    public func accounts(status: AccountStatus?, prefix: String?, limit: Int, cursor: String?, now: Int64)
        async throws(StoreError) -> Page<AccountState>
    {
        try await read("list accounts") { database in
            let filter = "(?1 IS NULL OR a.status = ?1) AND (?2 IS NULL OR substr(a.id, 1, length(?2)) = ?2)"
            let rows = try Row.fetchAll(
                database,
                sql: LedgerQueries.accountState
                    + " WHERE \(filter) AND (?3 IS NULL OR a.id > ?3) ORDER BY a.id LIMIT ?4",
                arguments: [status?.rawValue, prefix, cursor, limit + 1])
            let total = try Int64.fetchOne(
                database, sql: "SELECT count(*) FROM accounts a WHERE \(filter)",
                arguments: [status?.rawValue, prefix])
            let items = try rows.prefix(limit).map { row in
                try AccountState(row: row, spentLastDay: try Self.spentLastDay(of: row["id"], now: now, in: database))
            }
            let next = rows.count > limit ? items.last?.account.id : nil
            return Page(items: items, nextCursor: next, total: total)
        }
    }

    /// Changes an account that is not closed; `nil` when there is no such account.
    public func updateAccount(_ id: String, _ change: AccountChange, now: Int64) async throws(StoreError)
        -> AccountState?
    {
        try await write("update account") { database in
            guard let current = try Self.accountState(id, now: now, in: database) else { return nil }
            guard current.account.status != .closed else {
                throw StoreError(.accountConflict, "account \(id) is closed")
            }
            let limits = change.limits ?? current.account.limits
            try database.execute(
                sql: """
                    UPDATE accounts SET name = ?, metadata = ?, max_payment_msat = ?, daily_spend_msat = ?, status = ?
                    WHERE id = ?
                    """,
                arguments: [
                    change.name ?? current.account.name, change.metadata ?? current.account.metadata,
                    limits.maxPayment?.rawValue, limits.dailySpend?.rawValue,
                    (change.status ?? current.account.status).rawValue, id,
                ])
            return try Self.accountState(id, now: now, in: database)
        }
    }

    /// Closes an empty account; `nil` when there is no such account.
    public func closeAccount(_ id: String, now: Int64) async throws(StoreError) -> AccountState? {
        try await write("close account") { database in
            guard let current = try Self.accountState(id, now: now, in: database) else { return nil }
            guard current.account.status != .closed else { return current }
            let openInvoices =
                try Int.fetchOne(
                    database, sql: "SELECT count(*) FROM invoices WHERE account = ? AND status = 'open'",
                    arguments: [id]) ?? 0
            guard current.balance == 0, current.held == 0, openInvoices == 0 else {
                throw StoreError(.accountConflict, "account \(id) still has money, holds or open invoices")
            }
            try database.execute(sql: "UPDATE accounts SET status = 'closed' WHERE id = ?", arguments: [id])
            return try Self.accountState(id, now: now, in: database)
        }
    }

    /// Moves money between two accounts; see ``StoreEngine/transfer(_:key:)``.
    public func transfer(_ record: TransferRecord, key: WriteKey) async throws(StoreError) -> TransferOutcome {
        try await write("transfer") { database in
            if let stored = try Row.fetchOne(
                database.cachedStatement(sql: "SELECT * FROM write_keys WHERE method = ? AND idempotency_key = ?"),
                arguments: [key.method, key.key]
            ).map(WriteKey.init(row:)) {
                guard stored.fingerprint == key.fingerprint,
                    let first = try Self.transferRecord(stored.objectID, in: database)
                else { throw StoreError(.idempotencyConflict, "the idempotency key of a transfer is already used") }
                return .replayed(first)
            }
            let check: DebitCheck
            switch try Self.debitCheck(record.from, now: record.createdAt, in: database) {
            case .failure(let refusal): return .refused(refusal)
            case .success(let found): check = found
            }
            guard let target = try Self.balanceState(record.to, in: database) else {
                return .refused(.accountNotFound(record.to))
            }
            guard target.account.status != .closed else { return .refused(.accountFrozen(record.to, .closed)) }
            if let refusal = check.refusal(of: record.amount.rawValue, for: .transfer, now: record.createdAt) {
                return .refused(refusal)
            }
            var stored = record
            let posted = try Self.post(
                .transfer, at: record.createdAt, paymentHash: nil, transferID: record.transferID,
                [(record.from, -record.amount.rawValue), (record.to, record.amount.rawValue)], in: database)
            stored.entryID = posted.entryID
            try database.cachedStatement(
                sql: """
                    INSERT INTO transfers (transfer_id, from_account, to_account, amount_msat, memo, created_at,
                        entry_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [
                    stored.transferID, stored.from, stored.to, stored.amount.rawValue, stored.memo, stored.createdAt,
                    stored.entryID,
                ])
            try Self.insertWriteKey(key, in: database)
            return .transferred(stored, posted.events)
        }
    }

    /// The transfer with this id.
    public func transfer(id: String) async throws(StoreError) -> TransferRecord? {
        try await read("read transfer") { database in try Self.transferRecord(id, in: database) }
    }

    /// One account's lines newest first (``StatementSQL``), with the totals of the filtered range, read in one
    /// snapshot.
    public func statement(account: String, filter: StatementFilter, limit: Int, cursor: String?)
        async throws(StoreError) -> AccountStatement
    {
        try await read("read statement") { database in
            var lines: [[(line: StatementLine, position: StatementPosition)]] = []
            var totals: [Row?] = []
            for part in StatementSQL.parts(filter) {
                let page = StatementSQL.lineArguments(
                    part, account: account, filter: filter, cursor: cursor, limit: limit)
                lines.append(
                    try StatementSQL.lines(
                        try Row.fetchAll(database, sql: part.lines, arguments: Self.arguments(page)), of: part))
                let range = StatementSQL.totalsArguments(part, account: account, filter: filter)
                totals.append(try Row.fetchOne(database, sql: part.totals, arguments: Self.arguments(range)))
            }
            return AccountStatement(
                page: StatementSQL.page(lines, limit: limit), totals: try StatementSQL.totals(totals))
        }
    }

    private static func transferRecord(_ id: String, in database: Database) throws -> TransferRecord? {
        try Row.fetchOne(database, sql: "SELECT * FROM transfers WHERE transfer_id = ?", arguments: [id])
            .map(TransferRecord.init(row:))
    }

    /// Checks the journal against the balances and holds.
    public func ledgerAudit() async throws(StoreError) -> LedgerAudit {
        try await read("audit ledger") { database in
            func strings(_ sql: String) throws -> [String] { try String.fetchAll(database, sql: sql) }
            func integer(_ sql: String) throws -> Int64 { try Int64.fetchOne(database, sql: sql) ?? 0 }
            return LedgerAudit(
                entries: try integer("SELECT count(*) FROM ledger_entries"),
                postings: try integer("SELECT count(*) FROM postings"),
                unbalancedEntries: try Int64.fetchAll(database, sql: LedgerAuditSQL.unbalancedEntries),
                mismatchedAccounts: try strings(LedgerAuditSQL.mismatchedAccountsSQLite),
                negativeAccounts: try strings(LedgerAuditSQL.negativeAccounts),
                staleHolds: try strings(LedgerAuditSQL.staleHolds),
                liabilities: try integer(LedgerAuditSQL.liabilities),
                nodeBalance: -(try integer(LedgerAuditSQL.nodePostings)))
        }
    }
}
