/// The queries of ``StoreEngine/ledgerAudit()``, the same text on both engines but for the sums per account
/// (SQLite is told to scan the table). Each scans the journal once; a list of findings is cut at 100.
package enum LedgerAuditSQL {
    /// Entries whose postings do not sum to zero.
    package static let unbalancedEntries = """
        SELECT entry_id FROM postings GROUP BY entry_id HAVING sum(amount_msat) != 0 ORDER BY entry_id LIMIT 100
        """
    /// Accounts whose stored balance or held amount (with their shards) differs from their postings or open
    /// holds.
    package static let mismatchedAccounts = mismatchedAccounts(scanning: "postings")
    /// The same for SQLite, summing the postings in one scan of their table: left to choose, SQLite groups them
    /// along the index `postings_account_at` and fetches every posting's row out of table order (3.3 s
    /// instead of 0.5 s over 1,000,000 postings, Benchmarks/HISTORY.md "Accounts").
    package static let mismatchedAccountsSQLite = mismatchedAccounts(scanning: "postings NOT INDEXED")

    private static func mismatchedAccounts(scanning postings: String) -> String {
        """
        SELECT b.account FROM balances b
        LEFT JOIN \(BalanceShards.totals) s ON s.account = b.account
        LEFT JOIN (SELECT account, sum(amount_msat) AS total FROM \(postings) GROUP BY account) p
            ON p.account = b.account
        LEFT JOIN (SELECT account, sum(amount_msat) AS total FROM holds GROUP BY account) h ON h.account = b.account
        WHERE b.balance_msat + coalesce(s.balance_msat, 0) != coalesce(p.total, 0)
            OR b.held_msat + coalesce(s.held_msat, 0) != coalesce(h.total, 0)
        ORDER BY b.account LIMIT 100
        """
    }
    /// Accounts other than system ones whose available balance is negative.
    package static let negativeAccounts = """
        SELECT account FROM balances WHERE account NOT LIKE '@%' AND balance_msat - held_msat < 0
        ORDER BY account LIMIT 100
        """
    /// Holds whose payment is not pending.
    package static let staleHolds = """
        SELECT h.payment_hash FROM holds h LEFT JOIN payments p ON p.payment_hash = h.payment_hash
        WHERE p.status IS NULL OR p.status != 'pending' ORDER BY h.payment_hash LIMIT 100
        """
    /// What the daemon owes: every stored balance but `@node`'s, shards included.
    package static let liabilities = """
        SELECT CAST((SELECT coalesce(sum(balance_msat), 0) FROM balances WHERE account != '@node')
            + (SELECT coalesce(sum(balance_msat), 0) FROM balance_shards WHERE account != '@node') AS BIGINT) AS total
        """
    /// `@node`'s stored balance with its shards (the asset side's sign: its negation is what the node holds).
    package static let nodePostings = """
        SELECT CAST(balance_msat + (SELECT coalesce(sum(balance_msat), 0) FROM balance_shards WHERE account = '@node')
            AS BIGINT) AS total
        FROM balances WHERE account = '@node'
        """
}
