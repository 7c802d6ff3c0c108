import Lightning

extension AccountState {
    /// Decodes a row of `accounts` joined with its `balances` row (`balance_msat`, `held_msat`); `@node`'s
    /// balance is shown with its sign turned (the asset side).
    package init(row: some StoreRow, spentLastDay: Int64) throws {
        guard let status = AccountStatus(rawValue: try row.requiredText("status")) else {
            throw StoreError(.corruptRow, "account row does not decode")
        }
        let id = try row.requiredText("id")
        let limits = AccountLimits(
            maxPayment: try row.integer("max_payment_msat").map(MilliSatoshi.init(rawValue:)),
            dailySpend: try row.integer("daily_spend_msat").map(MilliSatoshi.init(rawValue:)))
        let account = AccountRecord(
            id: id, name: try row.text("name"), metadata: try row.text("metadata"), limits: limits, status: status,
            createdAt: try row.requiredInteger("created_at"),
            requestFingerprint: try row.requiredText("request_fingerprint"))
        let stored = try row.requiredInteger("balance_msat")
        self.init(
            account: account, balance: id == AccountRecord.node ? -stored : stored,
            held: try row.requiredInteger("held_msat"), spentLastDay: spentLastDay)
    }
}

extension TransferRecord {
    /// Decodes a row of `transfers`.
    package init(row: some StoreRow) throws {
        self.init(
            transferID: try row.requiredText("transfer_id"), from: try row.requiredText("from_account"),
            to: try row.requiredText("to_account"), amount: MilliSatoshi(try row.requiredInteger("amount_msat")),
            memo: try row.text("memo"), createdAt: try row.requiredInteger("created_at"),
            entryID: try row.requiredInteger("entry_id"))
    }
}

/// The SQL both engines share to read the ledger (each binds its own placeholders into the `?` slots).
package enum LedgerQueries {
    /// An account joined with its balance (its `balances` row plus its shards, ``BalanceShards``); the caller
    /// appends its `WHERE` (and may lock the `balances` row, `b`).
    package static let accountState = """
        SELECT a.*, b.balance_msat + coalesce(s.balance_msat, 0) AS balance_msat,
            b.held_msat + coalesce(s.held_msat, 0) AS held_msat
        FROM accounts a JOIN balances b ON b.account = a.id
        LEFT JOIN \(BalanceShards.totals) s ON s.account = a.id
        """
    /// What a user account `?1` spent after `?2`, whose window's first hour is `?3` (``SpendBuckets``): the
    /// buckets of the later hours, the spending debits of the first hour after `?2`, and open holds, summed in
    /// one query; SQLite's placeholders.
    package static let spentSince = """
        SELECT CAST((SELECT coalesce(sum(spent_msat), 0) FROM spend_buckets WHERE account = ?1 AND hour > ?3)
            + (SELECT coalesce(sum(-p.amount_msat), 0) FROM postings p JOIN ledger_entries e ON e.id = p.entry_id
                WHERE p.account = ?1 AND p.at > ?2 AND p.at < (?3 + 1) * \(SpendBuckets.seconds)
                    AND p.amount_msat < 0 AND e.kind IN \(spendingKinds))
            + (SELECT coalesce(sum(amount_msat), 0) FROM holds WHERE account = ?1 AND created_at > ?2) AS BIGINT)
            AS spent
        """
    /// A user account `?1`'s spends after `?2`, whose window's first hour is `?3`, as `(at, amount)`: the
    /// spending debits of the first hour and the open holds one by one, each later hour's bucket as one spend at
    /// the last second of its hour (so a refusal's `retry_after_s` is never too early); SQLite's placeholders.
    package static let recentSpends = """
        SELECT p.at, -p.amount_msat AS amount FROM postings p JOIN ledger_entries e ON e.id = p.entry_id
        WHERE p.account = ?1 AND p.at > ?2 AND p.at < (?3 + 1) * \(SpendBuckets.seconds) AND p.amount_msat < 0
            AND e.kind IN \(spendingKinds)
        UNION ALL
        SELECT created_at, amount_msat FROM holds WHERE account = ?1 AND created_at > ?2
        UNION ALL
        SELECT (hour + 1) * \(SpendBuckets.seconds) - 1, spent_msat FROM spend_buckets WHERE account = ?1 AND hour > ?3
        """
    /// What a system account `?1` spent after `?2` (it has no buckets): its spending debits and open holds, each
    /// read; SQLite's placeholders.
    package static let systemSpentSince = """
        SELECT CAST((SELECT coalesce(sum(-p.amount_msat), 0) FROM postings p JOIN ledger_entries e ON e.id = p.entry_id
                WHERE p.account = ?1 AND p.at > ?2 AND p.amount_msat < 0 AND e.kind IN \(spendingKinds))
            + (SELECT coalesce(sum(amount_msat), 0) FROM holds WHERE account = ?1 AND created_at > ?2) AS BIGINT)
            AS spent
        """
    /// The query summing what `account` spent in the 24 hours before `now` (`spent` column), with its values:
    /// ``spentSince`` for a user's account, ``systemSpentSince`` for a system account (no buckets).
    package static func spentLastDay(of account: String, now: Int64) -> (sql: String, values: [StoreValue]) {
        AccountRecord.isSystem(account)
            ? (systemSpentSince, Array(windowValues(of: account, now: now).prefix(2)))
            : (spentSince, windowValues(of: account, now: now))
    }

    /// The query listing a user's account's spends of the 24 hours before `now` (``recentSpends``), with its
    /// values.
    package static func recentSpends(of account: String, now: Int64) -> (sql: String, values: [StoreValue]) {
        (recentSpends, windowValues(of: account, now: now))
    }

    /// `?1` the account, `?2` the window's start, `?3` the window's first hour.
    private static func windowValues(of account: String, now: Int64) -> [StoreValue] {
        let since = now - DebitCheck.window
        return [.text(account), .integer(since), .integer(SpendBuckets.hour(of: since))]
    }

    /// Entry kinds whose debits count toward the rolling daily spend.
    package static let spendingKinds =
        "(" + EntryKind.allCases.filter(\.countsTowardDailySpend).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        + ")"
}
