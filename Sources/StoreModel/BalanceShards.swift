/// Migration `v12_balance_shards`: the system accounts' balances in shards.
///
/// Every paid invoice and every payment result moves `@node` and (by default) `@treasury`. On PostgreSQL one
/// balance row per system account would be a hot row: each transaction that moves it holds its lock until its
/// commit's WAL flush, so those commits, across group-commit batches and instances, would run one at a time.
/// PostgreSQL therefore adds a system account's moves to a row of `balance_shards` that no other running
/// transaction has claimed (a transaction advisory lock per shard, tried from the connection's server process id
/// modulo ``count`` on), so up to ``count`` concurrent transactions touch different rows. A system account's balance and held amount are its `balances` row plus the sum of its
/// shards (at most ``count`` rows, so still read in O(1)); a user's account has no shard, and a debit of it
/// still locks its one `balances` row. SQLite has one writer and never writes a shard; it reads them all the
/// same, so a store copied from PostgreSQL reads the same balances.
package enum BalanceShards {
    /// How many shards a system account's moves spread over on PostgreSQL.
    package static let count = 32

    /// The table, the same on both engines (only system accounts, named `@…`, have shards).
    package static let schema = """
        CREATE TABLE balance_shards (
            account TEXT NOT NULL REFERENCES accounts (id) CHECK (account LIKE '@%'),
            shard BIGINT NOT NULL CHECK (shard >= 0),
            balance_msat BIGINT NOT NULL,
            held_msat BIGINT NOT NULL,
            PRIMARY KEY (account, shard)
        )
        """

    /// The shards of each account summed (`account`, `balance_msat`, `held_msat`), to join to `balances`.
    package static let totals = """
        (SELECT account, CAST(sum(balance_msat) AS BIGINT) AS balance_msat,
            CAST(sum(held_msat) AS BIGINT) AS held_msat
        FROM balance_shards GROUP BY account)
        """
}
