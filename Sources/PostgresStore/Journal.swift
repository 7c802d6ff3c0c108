import Lightning
import Logging
import PostgresNIO
import StoreModel

/// The journal's writes on PostgreSQL, inside the caller's transaction: entries with their postings and
/// balances, holds, and the state a debit is checked against. A debit's check reads the account's balance row
/// `FOR UPDATE`: the row stays locked until the transaction ends, so a concurrent debit of the same account, on
/// any instance, waits and then sees the money already gone.
enum Journal {
    /// Appends one entry of `postings` (which must sum to zero), moves each account's stored balance and writes
    /// the entry's `account.credited`/`account.debited` events (``PostingEvents``) to the outbox after them;
    /// returns the entry id and those events. An unknown account throws `accountNotFound`.
    @discardableResult
    static func post(
        _ kind: EntryKind, at: Int64, paymentHash: PaymentHash?, transferID: String?,
        _ postings: [(account: String, amount: Int64)], on connection: PostgresConnection, _ logger: Logger
    ) async throws -> (entryID: Int64, events: [EventOutbox.Pending]) {
        precondition(postings.reduce(0) { $0 + $1.amount } == 0, "a journal entry must sum to zero")
        guard
            let entryID = try await connection.rows(
                """
                INSERT INTO ledger_entries (kind, at, payment_hash, transfer_id)
                VALUES (\(kind.rawValue), \(at), \(paymentHash?.hex), \(transferID)) RETURNING id
                """, logger
            ).first?.integer("id")
        else { throw StoreError(.database, "journal entry not stored") }
        // Balances in account order, so two entries touching the same accounts lock them in the same order.
        for posting in postings.sorted(by: { $0.account < $1.account }) where posting.amount != 0 {
            let moved = try await connection.rows(
                """
                UPDATE balances SET balance_msat = balance_msat + \(posting.amount)
                WHERE account = \(posting.account) RETURNING account
                """, logger)
            guard !moved.isEmpty else { throw StoreError(.accountNotFound, "no account \(posting.account)") }
            try await connection.query(
                """
                INSERT INTO postings (entry_id, account, amount_msat, at)
                VALUES (\(entryID), \(posting.account), \(posting.amount), \(at))
                """, logger: logger)
        }
        var events: [EventOutbox.Pending] = []
        for event in PostingEvents.events(
            entryID: entryID, kind: kind, at: at, paymentHash: paymentHash?.hex, transferID: transferID, postings)
        {
            events.append(try await EventOutbox.insert(event, on: connection, logger))
        }
        return (entryID, events)
    }

    /// Holds `amount` of `account` for the payment `paymentHash`.
    static func hold(
        _ amount: Int64, of account: String, for paymentHash: PaymentHash, at: Int64,
        on connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO holds (payment_hash, account, amount_msat, created_at)
            VALUES (\(paymentHash.hex), \(account), \(amount), \(at))
            """, logger: logger)
        try await connection.query(
            "UPDATE balances SET held_msat = held_msat + \(amount) WHERE account = \(account)", logger: logger)
    }

    /// Releases the hold of `paymentHash`, if any.
    static func releaseHold(of paymentHash: PaymentHash, on connection: PostgresConnection, _ logger: Logger)
        async throws
    {
        guard
            let row = try await connection.rows(
                "DELETE FROM holds WHERE payment_hash = \(paymentHash.hex) RETURNING account, amount_msat", logger
            ).first
        else { return }
        let amount = try row.requiredInteger("amount_msat")
        try await connection.query(
            "UPDATE balances SET held_msat = held_msat - \(amount) WHERE account = \(try row.requiredText("account"))",
            logger: logger)
    }

    /// The account `id` with its figures, or `nil`; `locking` reads its balance row `FOR UPDATE`.
    static func accountState(
        _ id: String, now: Int64, locking: Bool = false, on connection: PostgresConnection, _ logger: Logger
    ) async throws -> AccountState? {
        guard case .success(let check) = try await debitCheck(id, now: now, locking: locking, on: connection, logger)
        else { return nil }
        return check.state
    }

    /// The debit check of account `id` at `now` with its balance row locked until the transaction ends (unless
    /// `locking` is false), or the refusal when it does not exist.
    static func debitCheck(
        _ id: String, now: Int64, locking: Bool = true, on connection: PostgresConnection, _ logger: Logger
    ) async throws -> Result<DebitCheck, LedgerRefusal> {
        let lock = locking ? " FOR UPDATE OF b" : ""
        let query: PostgresQuery = "\(unescaped: LedgerQueries.accountState) WHERE a.id = \(id)\(unescaped: lock)"
        guard let row = try await connection.rows(query, logger).first else { return .failure(.accountNotFound(id)) }
        let spends = try await recentSpends(of: id, now: now, on: connection, logger)
        let state = try AccountState(row: row, spentLastDay: spends.reduce(0) { $0 + $1.amount })
        return .success(DebitCheck(state: state, recentSpends: spends))
    }

    /// The account's spends of the 24 hours before `now`: debits of payments and outgoing transfers, and holds.
    static func recentSpends(of id: String, now: Int64, on connection: PostgresConnection, _ logger: Logger)
        async throws -> [(at: Int64, amount: Int64)]
    {
        let since = now - DebitCheck.window
        return try await connection.rows(
            """
            SELECT p.at, -p.amount_msat AS amount FROM postings p JOIN ledger_entries e ON e.id = p.entry_id
            WHERE p.account = \(id) AND p.at > \(since) AND p.amount_msat < 0
                AND e.kind IN \(unescaped: LedgerQueries.spendingKinds)
            UNION ALL
            SELECT created_at, amount_msat FROM holds WHERE account = \(id) AND created_at > \(since)
            """, logger
        ).map {
            (at: try $0.requiredInteger("at"), amount: try $0.requiredInteger("amount"))
        }
    }
}
