/// Migration `v13_spend_buckets`: a user account's spending toward its rolling daily limit, summed by the hour,
/// so that `spent_24h_msat` and a debit check cost the same for an account with a thousand spends a day as for
/// one with none.
///
/// The spend of the 24 hours before `now` (debits of ``EntryKind/countsTowardDailySpend`` entries, and open holds)
/// is read in three parts, exactly as the sum over every spend would give: the buckets of the hours after the
/// window's first hour (at most 24 rows), the postings of that first, partial hour after the window's start one
/// by one, and the account's open holds (a few payments in flight). Each posting that debits a user account for
/// a spending kind adds to its hour's bucket in the transaction that posts it, and deletes the account's buckets
/// older than ``keptHours`` (which no window reaches), so an account keeps at most ``keptHours`` + 1 rows.
///
/// System accounts (`@treasury`, `@node`) have no buckets: they have no limits, and on PostgreSQL their bucket
/// would be the hot row that `BalanceShards` removed. Their `spent_24h_msat` is summed over the window's
/// postings, at a cost that grows with their spends (an operator's view).
package enum SpendBuckets {
    /// The length of a bucket, in seconds.
    package static let seconds: Int64 = 3_600
    /// How many hours of buckets before the newest one an account keeps.
    package static let keptHours: Int64 = 25

    /// The hour `at` falls in.
    package static func hour(of at: Int64) -> Int64 { at / seconds }

    /// The table, the same on both engines, filled from the postings of the hours a window may still reach.
    package static func schema(now: String) -> String {
        """
        CREATE TABLE spend_buckets (
            account TEXT NOT NULL REFERENCES accounts (id) CHECK (account NOT LIKE '@%'),
            hour BIGINT NOT NULL,
            spent_msat BIGINT NOT NULL CHECK (spent_msat > 0),
            PRIMARY KEY (account, hour)
        );
        INSERT INTO spend_buckets (account, hour, spent_msat)
            SELECT p.account, p.at / \(seconds), sum(-p.amount_msat)
            FROM postings p JOIN ledger_entries e ON e.id = p.entry_id
            WHERE p.amount_msat < 0 AND p.account NOT LIKE '@%' AND e.kind IN \(LedgerQueries.spendingKinds)
                AND p.at / \(seconds) >= (\(now)) / \(seconds) - \(keptHours)
            GROUP BY p.account, p.at / \(seconds)
        """
    }

    /// The upsert of one account's spend into its hour's bucket (SQLite placeholders: account, hour, amount).
    package static let addSQLite = """
        INSERT INTO spend_buckets (account, hour, spent_msat) VALUES (?1, ?2, ?3)
        ON CONFLICT (account, hour) DO UPDATE SET spent_msat = spent_msat + excluded.spent_msat
        """
    /// The deletion of one account's buckets no window reaches any more (SQLite placeholders: account, hour).
    package static let pruneSQLite = "DELETE FROM spend_buckets WHERE account = ?1 AND hour < ?2 - \(keptHours)"

    /// The debits of `postings` that count toward the daily limit: a user account's, in an entry of a
    /// spending kind, as positive amounts.
    package static func spends(_ kind: EntryKind, _ postings: [(account: String, amount: Int64)])
        -> [(account: String, amount: Int64)]
    {
        guard kind.countsTowardDailySpend else { return [] }
        return postings.filter { $0.amount < 0 && !AccountRecord.isSystem($0.account) }.map {
            (account: $0.account, amount: -$0.amount)
        }
    }
}

extension EntryKind {
    /// Whether a debit in an entry of this kind counts toward `daily_spend_msat`: payments (over Lightning or
    /// settled inside) and outgoing transfers.
    package var countsTowardDailySpend: Bool {
        switch self {
        case .payment, .transfer, .internal: true
        case .opening, .invoice, .adjustment: false
        }
    }
}
