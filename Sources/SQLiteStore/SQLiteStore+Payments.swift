import GRDB
import Lightning
import StoreModel

extension SQLiteStore {
    /// Durably records the intent to pay `record.paymentHash` before any backend call.
    ///
    /// One row per payment hash, ever: a pending or succeeded payment is returned as it is; a failed one is
    /// re-armed as pending with a new attempt (the backend said it definitively failed), and then describes the
    /// invoice now being paid (`bolt11`, amount, fee cap); each attempt keeps the bolt11 it was made for. An
    /// idempotency key bound to another hash throws `idempotencyConflict`.
    public func beginPayment(_ record: PaymentRecord, owner: String) async throws(StoreError) -> PaymentStart {
        try await write("begin payment") { database in
            if let key = record.idempotencyKey,
                let owner = try String.fetchOne(
                    database, sql: "SELECT payment_hash FROM payments WHERE idempotency_key = ?", arguments: [key]),
                owner != record.paymentHash.hex
            {
                throw StoreError(.idempotencyConflict, "idempotency key already used for another invoice")
            }
            if let row = try Row.fetchOne(
                database, sql: "SELECT * FROM payments WHERE payment_hash = ?", arguments: [record.paymentHash.hex])
            {
                let existing = try PaymentRecord(row: row)
                switch existing.status {
                case .pending: return .inFlight(existing)
                case .succeeded: return .succeeded(existing)
                case .failed:
                    if let refusal = try Self.holdRefusal(record, in: database) { return .refused(refusal) }
                    try database.execute(
                        sql: """
                            UPDATE payments SET status = 'pending', bolt11 = ?, amount_msat = ?, max_fee_msat = ?,
                                fee_msat = NULL, fiat = ?,
                                failure_reason = NULL, completed_at = NULL,
                                idempotency_key = coalesce(?, idempotency_key), account = ?
                            WHERE payment_hash = ?
                            """,
                        arguments: [
                            record.bolt11, record.amount.rawValue, record.maxFee.rawValue, record.fiat,
                            record.idempotencyKey, record.account, record.paymentHash.hex,
                        ])
                }
            } else {
                if let refusal = try Self.holdRefusal(record, in: database) { return .refused(refusal) }
                try database.execute(
                    sql: """
                        INSERT INTO payments (payment_hash, bolt11, status, amount_msat, max_fee_msat,
                            idempotency_key, created_at, fiat, account)
                        VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        record.paymentHash.hex, record.bolt11, record.amount.rawValue, record.maxFee.rawValue,
                        record.idempotencyKey, record.createdAt, record.fiat, record.account,
                    ])
            }
            try Self.hold(
                record.amount.rawValue + record.maxFee.rawValue, of: record.account, for: record.paymentHash,
                at: record.createdAt, in: database)
            try database.execute(
                sql: "INSERT INTO payment_attempts (payment_hash, started_at, owner, bolt11) VALUES (?, ?, ?, ?)",
                arguments: [record.paymentHash.hex, record.createdAt, owner, record.bolt11])
            let row = try Row.fetchOne(
                database, sql: "SELECT * FROM payments WHERE payment_hash = ?", arguments: [record.paymentHash.hex])
            return .started(try PaymentRecord(row: row!))
        }
    }

    /// Records the final outcome of a pending payment with its event, closing the open attempt.
    /// Returns `nil` when the payment was not pending (already completed: nothing changes).
    public func completePayment(
        _ paymentHash: PaymentHash, outcome: PaymentOutcome, at now: Int64,
        event: @escaping @Sendable (PaymentRecord) -> NewEvent
    ) async throws(StoreError) -> (PaymentRecord, EventRecord)? {
        guard let completion = PaymentCompletion(outcome) else { return nil }
        let (status, preimage, fee, reason) = (
            completion.status, completion.preimage, completion.fee, completion.reason
        )
        return try await write("complete payment") { database in
            try database.execute(
                sql: """
                    UPDATE payments SET status = ?, preimage = ?, fee_msat = ?, failure_reason = ?, completed_at = ?
                    WHERE payment_hash = ? AND status = 'pending'
                    """,
                arguments: [status.rawValue, preimage, fee, reason, now, paymentHash.hex])
            guard database.changesCount == 1 else { return nil }
            try database.execute(
                sql: """
                    UPDATE payment_attempts SET completed_at = ?, outcome = ?, failure_reason = ?
                    WHERE payment_hash = ? AND completed_at IS NULL
                    """,
                arguments: [now, status.rawValue, reason, paymentHash.hex])
            let row = try Row.fetchOne(
                database, sql: "SELECT * FROM payments WHERE payment_hash = ?", arguments: [paymentHash.hex])
            let record = try PaymentRecord(row: row!)
            try Self.releaseHold(of: paymentHash, in: database)
            if status == .succeeded {
                let spent = record.amount.rawValue + (fee ?? 0)
                try Self.post(
                    .payment, at: now, paymentHash: paymentHash, transferID: nil,
                    [(record.account, -spent), (AccountRecord.node, spent)], in: database)
            }
            return (record, try Self.insertEvent(event(record), in: database))
        }
    }

    /// Why the paying account cannot hold the payment's amount plus fee cap now, or `nil`. A system account
    /// (`@treasury`) is never refused (``DebitCheck``), so it is not read.
    private static func holdRefusal(_ record: PaymentRecord, in database: Database) throws -> LedgerRefusal? {
        if AccountRecord.isSystem(record.account) { return nil }
        switch try debitCheck(record.account, now: record.createdAt, in: database) {
        case .failure(let refusal): return refusal
        case .success(let check):
            return check.refusal(
                of: record.amount.rawValue + record.maxFee.rawValue,
                for: .payment(amount: record.amount.rawValue), now: record.createdAt)
        }
    }

    /// The payment to this hash.
    public func payment(paymentHash: PaymentHash) async throws(StoreError) -> PaymentRecord? {
        try await read("read payment") { database in
            try Row.fetchOne(
                database, sql: "SELECT * FROM payments WHERE payment_hash = ?", arguments: [paymentHash.hex]
            ).map(PaymentRecord.init(row:))
        }
    }

    /// The payment whose `payment.send` carried this idempotency key.
    public func payment(idempotencyKey: String) async throws(StoreError) -> PaymentRecord? {
        try await read("read payment") { database in
            try Row.fetchOne(
                database, sql: "SELECT * FROM payments WHERE idempotency_key = ?", arguments: [idempotencyKey]
            ).map(PaymentRecord.init(row:))
        }
    }

    /// Every payment still pending, oldest first (reconciled at start-up before new payments are accepted).
    public func pendingPayments() async throws(StoreError) -> [PaymentRecord] {
        try await read("read pending payments") { database in
            try Row.fetchAll(database, sql: "SELECT * FROM payments WHERE status = 'pending' ORDER BY created_at")
                .map(PaymentRecord.init(row:))
        }
    }

    /// How many backend attempts were made for this hash.
    public func attemptCount(_ paymentHash: PaymentHash) async throws(StoreError) -> Int {
        try await read("count attempts") { database in
            try Int.fetchOne(
                database, sql: "SELECT count(*) FROM payment_attempts WHERE payment_hash = ?",
                arguments: [paymentHash.hex]) ?? 0
        }
    }

    /// The live owner of the open attempt of this hash.
    public func liveAttemptOwner(of paymentHash: PaymentHash, aliveSince: Int64) async throws(StoreError) -> String? {
        try await read("read attempt owner") { database in
            try String.fetchOne(
                database,
                sql: """
                    SELECT a.owner FROM payment_attempts a JOIN instances i ON i.id = a.owner
                    WHERE a.payment_hash = ? AND a.completed_at IS NULL AND i.heartbeat_at >= ?
                    """,
                arguments: [paymentHash.hex, aliveSince])
        }
    }

    /// Payments newest first, optionally of one status and one account.
    public func payments(status: PaymentStatus?, account: String?, limit: Int, cursor: String?)
        async throws(StoreError) -> Page<PaymentRecord>
    {
        try await read("list payments") { database in
            let rows = try Self.newestFirst(
                "payments", status: status?.rawValue, account: account, limit: limit, cursor: cursor, database)
            return try Page.of(rows, limit: limit, PaymentRecord.init(row:))
        }
    }

    /// Money in (paid invoices) and out (pending and succeeded payments), newest first, filtered, with the totals
    /// of the whole filtered range read in the same snapshot. SQLite pushes an account's condition into both arms
    /// of the history's union, onto the account indexes.
    public func walletTransactions(
        _ filter: WalletTransactionFilter, limit: Int, cursor: String?
    ) async throws(StoreError) -> WalletHistory {
        try await read("list transactions") { database in
            let (cursorTime, cursorHash) = Page<WalletTransaction>.splitCursor(cursor)
            let matching = """
                FROM \(WalletHistorySQL.rows)
                WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at <= ?2) AND (?3 IS NULL OR direction = ?3)
                    AND \(Self.accountCondition(filter.account))
                """
            let range: StatementArguments = [filter.from, filter.to, filter.direction?.rawValue, filter.account]
            let rows = try Row.fetchAll(
                database,
                sql: """
                    SELECT * \(matching) AND (?5 IS NULL OR at < ?5 OR (at = ?5 AND payment_hash < ?6))
                    ORDER BY at DESC, payment_hash DESC LIMIT ?7
                    """,
                arguments: range + [cursorTime, cursorHash, limit + 1])
            // The totals ignore the cursor and the limit: the whole filtered range.
            let totals = try Row.fetchOne(
                database, sql: "SELECT \(WalletHistorySQL.totals) \(matching)", arguments: range)
            guard let totals else { throw StoreError(.corruptRow, "totals query returned no row") }
            return WalletHistory(page: try Page.transactions(rows, limit: limit), totals: try WalletTotals(row: totals))
        }
    }
}
