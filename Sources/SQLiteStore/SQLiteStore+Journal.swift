import GRDB
import Lightning
import StoreModel

/// The journal's writes, inside the caller's write transaction: entries with their postings and balances,
/// holds, and the state a debit is checked against. SQLite has one writer, so a check and the write after it
/// in one transaction are atomic. The statements of every transfer, payment and `account.get` come from the
/// connection's statement cache: parsed once per connection, not once per call.
extension SQLiteStore {
    /// Appends one entry of `postings` (which must sum to zero), moves each account's stored balance, adds its
    /// spending debits to their accounts' hour (``SpendBuckets``) and appends the entry's `account.credited`/`account.debited` events (``PostingEvents``); returns the entry id and
    /// those events. An unknown account throws `accountNotFound`.
    @discardableResult
    static func post(
        _ kind: EntryKind, at: Int64, paymentHash: PaymentHash?, transferID: String?,
        _ postings: [(account: String, amount: Int64)], in database: Database
    ) throws -> (entryID: Int64, events: [EventRecord]) {
        precondition(postings.reduce(0) { $0 + $1.amount } == 0, "a journal entry must sum to zero")
        try database.cachedStatement(
            sql: "INSERT INTO ledger_entries (kind, at, payment_hash, transfer_id) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [kind.rawValue, at, paymentHash?.hex, transferID])
        let entryID = database.lastInsertedRowID
        for posting in postings where posting.amount != 0 {
            try database.cachedStatement(sql: "UPDATE balances SET balance_msat = balance_msat + ? WHERE account = ?")
                .execute(arguments: [posting.amount, posting.account])
            guard database.changesCount == 1 else {
                throw StoreError(.accountNotFound, "no account \(posting.account)")
            }
            try database.cachedStatement(
                sql: "INSERT INTO postings (entry_id, account, amount_msat, at) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [entryID, posting.account, posting.amount, at])
        }
        for spend in SpendBuckets.spends(kind, postings) {
            let hour = SpendBuckets.hour(of: at)
            try database.cachedStatement(sql: SpendBuckets.addSQLite).execute(
                arguments: [spend.account, hour, spend.amount])
            try database.cachedStatement(sql: SpendBuckets.pruneSQLite).execute(arguments: [spend.account, hour])
        }
        let events = PostingEvents.events(
            entryID: entryID, kind: kind, at: at, paymentHash: paymentHash?.hex, transferID: transferID, postings)
        return (entryID, try events.map { try insertEvent($0, in: database) })
    }

    /// Holds `amount` of `account` for the payment `paymentHash`.
    static func hold(
        _ amount: Int64, of account: String, for paymentHash: PaymentHash, at: Int64, in database: Database
    )
        throws
    {
        try database.execute(
            sql: "INSERT INTO holds (payment_hash, account, amount_msat, created_at) VALUES (?, ?, ?, ?)",
            arguments: [paymentHash.hex, account, amount, at])
        try database.execute(
            sql: "UPDATE balances SET held_msat = held_msat + ? WHERE account = ?", arguments: [amount, account])
    }

    /// Releases the hold of `paymentHash`, if any.
    static func releaseHold(of paymentHash: PaymentHash, in database: Database) throws {
        guard
            let row = try Row.fetchOne(
                database, sql: "SELECT account, amount_msat FROM holds WHERE payment_hash = ?",
                arguments: [paymentHash.hex])
        else { return }
        try database.execute(sql: "DELETE FROM holds WHERE payment_hash = ?", arguments: [paymentHash.hex])
        try database.execute(
            sql: "UPDATE balances SET held_msat = held_msat - ? WHERE account = ?",
            arguments: [row["amount_msat"] as Int64, row["account"] as String])
    }

    /// The account `id` with its figures, its spending of the last 24 hours summed by SQLite, or `nil`.
    static func accountState(_ id: String, now: Int64, in database: Database) throws -> AccountState? {
        guard var state = try balanceState(id, in: database) else { return nil }
        state.spentLastDay = try spentLastDay(of: id, now: now, in: database)
        return state
    }

    /// The account `id` with its figures and the rows they are read from (for ``AccountStateCache``), or `nil`.
    static func accountStateAndRows(_ id: String, now: Int64, in database: Database) throws
        -> (state: AccountState, rows: AccountStateCache.Rows)?
    {
        guard
            let row = try Row.fetchOne(
                database.cachedStatement(sql: accountStateWithRowIDs + " WHERE a.id = ?"), arguments: [id])
        else { return nil }
        var state = try AccountState(row: row, spentLastDay: 0)
        state.spentLastDay = try spentLastDay(of: id, now: now, in: database)
        return (state, AccountStateCache.Rows(account: row["account_rowid"], balance: row["balance_rowid"]))
    }

    /// ``LedgerQueries/accountState`` with the rowids of the `accounts` and `balances` rows it reads.
    static let accountStateWithRowIDs: String = {
        let withRowIDs = LedgerQueries.accountState.replacingOccurrences(
            of: "SELECT a.*,", with: "SELECT a.rowid AS account_rowid, b.rowid AS balance_rowid, a.*,")
        precondition(withRowIDs != LedgerQueries.accountState, "the account query no longer starts as expected")
        return withRowIDs
    }()

    /// What account `id` spent in the 24 hours before `now` (``SpendBuckets``).
    static func spentLastDay(of id: String, now: Int64, in database: Database) throws -> Int64 {
        let (sql, values) = LedgerQueries.spentLastDay(of: id, now: now)
        return try Int64.fetchOne(database.cachedStatement(sql: sql), arguments: arguments(values)) ?? 0
    }

    /// The account `id` and its balance row, its spending of the last 24 hours left at zero, or `nil`.
    static func balanceState(_ id: String, in database: Database) throws -> AccountState? {
        try Row.fetchOne(database.cachedStatement(sql: LedgerQueries.accountState + " WHERE a.id = ?"), arguments: [id])
            .map { try AccountState(row: $0, spentLastDay: 0) }
    }

    /// The debit check of account `id` at `now`, or the refusal when it does not exist. The spends of the last
    /// 24 hours are read only for an account with a daily limit (``DebitCheck/needsRecentSpends(_:)``).
    static func debitCheck(_ id: String, now: Int64, in database: Database) throws -> Result<DebitCheck, LedgerRefusal>
    {
        guard var state = try balanceState(id, in: database) else { return .failure(.accountNotFound(id)) }
        guard DebitCheck.needsRecentSpends(state.account) else {
            return .success(DebitCheck(state: state, recentSpends: []))
        }
        let spends = try recentSpends(of: id, now: now, in: database)
        state.spentLastDay = spends.reduce(0) { $0 + $1.amount }
        return .success(DebitCheck(state: state, recentSpends: spends))
    }

    /// A user account's spends of the 24 hours before `now` (``SpendBuckets``): the debits of the window's first
    /// hour and the open holds one by one, each later hour's bucket as one spend at the end of its hour.
    static func recentSpends(of id: String, now: Int64, in database: Database) throws -> [(at: Int64, amount: Int64)] {
        let (sql, values) = LedgerQueries.recentSpends(of: id, now: now)
        return try Row.fetchAll(database.cachedStatement(sql: sql), arguments: arguments(values)).map {
            (at: $0["at"] as Int64, amount: $0["amount"] as Int64)
        }
    }
}
