import Lightning
import Logging
import PostgresNIO
import StoreModel

extension PostgresStore {
    /// Durably records the intent to pay before any backend call; see ``StoreEngine/beginPayment(_:owner:)``.
    ///
    /// Across instances the row is the gate: the insert of a new hash waits for a concurrent one and then does
    /// nothing, and the existing row is read `FOR UPDATE`, so of concurrent calls for one hash exactly one gets
    /// `.started` and the others see it pending. The insert absorbs a conflict on any unique column: a concurrent
    /// call with the same hash and idempotency key may meet the key's index first, and then shares the row that
    /// won; only a key whose row names another hash is an `idempotencyConflict`.
    package func beginPayment(_ record: PaymentRecord, owner: String) async throws(StoreError) -> PaymentStart {
        try await write("begin payment") { [logger] connection in
            let hash = record.paymentHash.hex
            if let key = record.idempotencyKey,
                let other = try await connection.rows(
                    "SELECT payment_hash FROM payments WHERE idempotency_key = \(key)", logger
                ).first, try other.requiredText("payment_hash") != hash
            {
                throw StoreError(.idempotencyConflict, "idempotency key already used for another invoice")
            }
            if let refusal = try await Self.holdRefusal(record, on: connection, logger) {
                // Refused only when this call would start the payment: a pending or paid one is answered as such.
                let row = try await connection.rows(
                    "SELECT * FROM payments WHERE payment_hash = \(hash) FOR UPDATE", logger)
                switch try row.first.map(PaymentRecord.init(row:)) {
                case let existing? where existing.status == .pending: return .inFlight(existing)
                case let existing? where existing.status == .succeeded: return .succeeded(existing)
                default: return .refused(refusal)
                }
            }
            // A new payment and its first attempt in one statement (one round trip).
            let inserted = try await connection.preparedRows(
                """
                WITH started AS (
                    INSERT INTO payments (payment_hash, bolt11, status, amount_msat, max_fee_msat, idempotency_key,
                        created_at, fiat, account)
                    VALUES (\(hash), \(record.bolt11), 'pending', \(record.amount.rawValue),
                        \(record.maxFee.rawValue), \(record.idempotencyKey), \(record.createdAt), \(record.fiat),
                        \(record.account))
                    ON CONFLICT DO NOTHING RETURNING *
                ),
                attempt AS (
                    INSERT INTO payment_attempts (payment_hash, started_at, owner, bolt11)
                    SELECT payment_hash, \(record.createdAt), \(owner), bolt11 FROM started
                )
                SELECT * FROM started
                """, logger)
            var started = try inserted.first.map(PaymentRecord.init(row:))
            if started == nil {
                let row = try await connection.rows(
                    "SELECT * FROM payments WHERE payment_hash = \(hash) FOR UPDATE", logger)
                guard let existing = try row.first.map(PaymentRecord.init(row:)) else {
                    // The insert met a row committed meanwhile that holds the key but not this hash.
                    throw StoreError(.idempotencyConflict, "idempotency key already used for another invoice")
                }
                switch existing.status {
                case .pending: return .inFlight(existing)
                case .succeeded: return .succeeded(existing)
                case .failed:
                    started = try await connection.rows(
                        """
                        UPDATE payments SET status = 'pending', bolt11 = \(record.bolt11),
                            amount_msat = \(record.amount.rawValue),
                            max_fee_msat = \(record.maxFee.rawValue), fee_msat = NULL, failure_reason = NULL,
                            fiat = \(record.fiat),
                            completed_at = NULL, idempotency_key = coalesce(\(record.idempotencyKey), idempotency_key),
                            account = \(record.account)
                        WHERE payment_hash = \(hash) RETURNING *
                        """, logger, uniqueViolation: .idempotencyConflict,
                        "idempotency key already used for another invoice"
                    ).first.map(PaymentRecord.init(row:))
                    try await connection.query(
                        """
                        INSERT INTO payment_attempts (payment_hash, started_at, owner, bolt11)
                        VALUES (\(hash), \(record.createdAt), \(owner), \(record.bolt11))
                        """, logger: logger)
                }
            }
            guard let started else { throw StoreError(.corruptRow, "payment row vanished") }
            try await Journal.hold(
                record.amount.rawValue + record.maxFee.rawValue, of: record.account, for: record.paymentHash,
                at: record.createdAt, on: connection, logger)
            return .started(started)
        }
    }

    /// Why the paying account cannot hold the payment's amount plus fee cap now, or `nil`; the account's
    /// balance row stays locked until the transaction ends. A system account (`@treasury`) is never refused
    /// (``DebitCheck``), so it is neither read nor locked here.
    private static func holdRefusal(_ record: PaymentRecord, on connection: PostgresConnection, _ logger: Logger)
        async throws -> LedgerRefusal?
    {
        if AccountRecord.isSystem(record.account) { return nil }
        let check = try await Journal.debitCheck(record.account, now: record.createdAt, on: connection, logger)
        switch check {
        case .failure(let refusal): return refusal
        case .success(let check):
            return check.refusal(
                of: record.amount.rawValue + record.maxFee.rawValue,
                for: .payment(amount: record.amount.rawValue), now: record.createdAt)
        }
    }

    /// Records the final outcome of a pending payment with its event, closing the open attempt; `nil` when it
    /// was not pending.
    package func completePayment(
        _ paymentHash: PaymentHash, outcome: PaymentOutcome, at now: Int64,
        event: @escaping @Sendable (PaymentRecord) -> NewEvent
    ) async throws(StoreError) -> (PaymentRecord, EventRecord)? {
        guard let completion = PaymentCompletion(outcome) else { return nil }
        let (status, preimage, fee, reason) = (
            completion.status, completion.preimage, completion.fee, completion.reason
        )
        return try await indexingEvent(
            write("complete payment") { [logger] connection in
                // The payment and its open attempt in one statement (one round trip).
                guard
                    let row = try await connection.preparedRows(
                        """
                        WITH completed AS (
                            UPDATE payments SET status = \(status.rawValue), preimage = \(preimage), fee_msat = \(fee),
                                failure_reason = \(reason), completed_at = \(now)
                            WHERE payment_hash = \(paymentHash.hex) AND status = 'pending' RETURNING *
                        ),
                        attempt AS (
                            UPDATE payment_attempts SET completed_at = \(now), outcome = \(status.rawValue),
                                failure_reason = \(reason)
                            WHERE payment_hash = \(paymentHash.hex) AND completed_at IS NULL
                                AND EXISTS (SELECT 1 FROM completed)
                        )
                        SELECT * FROM completed
                        """, logger
                    ).first
                else { return nil }
                let record = try PaymentRecord(row: row)
                if status == .succeeded {
                    let spent = record.amount.rawValue + (fee ?? 0)
                    try await Journal.post(
                        .payment, at: now, paymentHash: paymentHash, transferID: nil,
                        [(record.account, -spent), (AccountRecord.node, spent)], releasing: paymentHash,
                        on: connection, logger)
                } else {
                    try await Journal.releaseHold(of: paymentHash, on: connection, logger)
                }
                return (record, try await EventOutbox.insert(event(record), on: connection, logger))
            })
    }

    /// The payment to this hash.
    package func payment(paymentHash: PaymentHash) async throws(StoreError) -> PaymentRecord? {
        try await onConnection("read payment") { connection in
            try await connection.preparedRows("SELECT * FROM payments WHERE payment_hash = \(paymentHash.hex)", logger)
                .first
                .map(PaymentRecord.init(row:))
        }
    }

    /// The payment whose `payment.send` carried this idempotency key.
    package func payment(idempotencyKey: String) async throws(StoreError) -> PaymentRecord? {
        try await onConnection("read payment") { connection in
            try await connection.rows("SELECT * FROM payments WHERE idempotency_key = \(idempotencyKey)", logger).first
                .map(PaymentRecord.init(row:))
        }
    }

    /// Every payment still pending, oldest first.
    package func pendingPayments() async throws(StoreError) -> [PaymentRecord] {
        try await onConnection("read pending payments") { connection in
            try await connection.rows(
                "SELECT * FROM payments WHERE status = 'pending' ORDER BY created_at, row_id", logger
            ).map(PaymentRecord.init(row:))
        }
    }

    /// How many backend attempts were made for this hash.
    package func attemptCount(_ paymentHash: PaymentHash) async throws(StoreError) -> Int {
        try await onConnection("count attempts") { connection in
            Int(
                try await connection.rows(
                    "SELECT count(*) AS n FROM payment_attempts WHERE payment_hash = \(paymentHash.hex)", logger
                ).first?.integer("n") ?? 0)
        }
    }

    /// The live owner of the open attempt of this hash.
    package func liveAttemptOwner(of paymentHash: PaymentHash, aliveSince: Int64) async throws(StoreError) -> String? {
        try await onConnection("read attempt owner") { connection in
            try await connection.rows(
                """
                SELECT a.owner FROM payment_attempts a JOIN instances i ON i.id = a.owner
                WHERE a.payment_hash = \(paymentHash.hex) AND a.completed_at IS NULL AND i.heartbeat_at >= \(aliveSince)
                """, logger
            ).first?.text("owner")
        }
    }

    /// Payments newest first, optionally of one status.
    package func payments(
        status: PaymentStatus?, account: String?, limit: Int, cursor: String?
    ) async throws(StoreError) -> Page<PaymentRecord> {
        try await onConnection("list payments") { connection in
            let rows = try await connection.newestFirst(
                "payments", status: status?.rawValue, account: account, limit: limit, cursor: cursor, logger)
            return try Page.of(rows, limit: limit, PaymentRecord.init(row:))
        }
    }

    /// Money in (paid invoices) and out (pending and succeeded payments), newest first, filtered, with the totals
    /// of the whole filtered range.
    package func walletTransactions(
        _ filter: WalletTransactionFilter, limit: Int, cursor: String?
    ) async throws(StoreError) -> WalletHistory {
        try await onConnection("list transactions") { connection in
            let rows = try await connection.rows(
                Self.walletHistory(
                    "SELECT *", filter, before: Page<WalletTransaction>.splitCursor(cursor),
                    then: "ORDER BY at DESC, payment_hash DESC LIMIT \(limit + 1)"), logger)
            // The totals ignore the cursor and the limit: the whole filtered range.
            let totals = try await connection.rows(
                Self.walletHistory("SELECT " + WalletHistorySQL.totals, filter, before: (nil, nil), then: ""), logger)
            guard let totals = totals.first else { throw StoreError(.corruptRow, "totals query returned no row") }
            return WalletHistory(page: try Page.transactions(rows, limit: limit), totals: try WalletTotals(row: totals))
        }
    }

    /// `select` over the wallet history's rows that `filter` matches, before the `at:payment_hash` cursor, then
    /// `suffix`.
    private static func walletHistory(
        _ select: String, _ filter: WalletTransactionFilter, before cursor: (Int64?, String?), then suffix: String
    ) -> PostgresQuery {
        let (from, to, direction, account) = (filter.from, filter.to, filter.direction?.rawValue, filter.account)
        let (time, hash) = cursor
        return """
            \(unescaped: select) FROM \(unescaped: WalletHistorySQL.rows)
            WHERE (\(from)::bigint IS NULL OR at >= \(from)) AND (\(to)::bigint IS NULL OR at <= \(to))
                AND (\(direction)::text IS NULL OR direction = \(direction))
                AND (\(account)::text IS NULL OR account = \(account))
                AND (\(time)::bigint IS NULL OR at < \(time) OR (at = \(time) AND payment_hash < \(hash)))
            \(unescaped: suffix)
            """
    }
}
