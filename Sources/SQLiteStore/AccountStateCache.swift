import GRDB
import StoreModel
import Synchronization

/// The accounts `account.get` read recently, each as read for one second (`now`), so that a second read of the
/// same account in the same second answers from memory instead of a reader connection: a read on the pool
/// costs two thread switches (to the reader's queue and back), most of the time of an `account.get`.
///
/// An account's figures for a given `now` change only when a write changes its `accounts` or `balances` row (its
/// spend of the last 24 hours is a function of the store and `now`, to the second, and every change of it moves
/// its balance or held amount in the same transaction). So the cache is exact: ``AccountRowObserver`` sees which
/// of those rows each committed transaction changed and drops their entries before the writers are answered,
/// and a read keeps what it read only if no transaction that changed accounts committed since the read began
/// (the ``generation`` it started from is still current), so a read of the state before a commit is never kept
/// after it. Only `account(id:now:)` uses it; debit checks read inside the write transaction.
final class AccountStateCache: Sendable {
    /// At most this many entries; a full cache starts again empty.
    static let capacity = 4_096

    /// The rows an account's figures are read from.
    struct Rows: Sendable, Hashable {
        /// The `accounts` row.
        var account: Int64
        /// The `balances` row.
        var balance: Int64
    }

    private struct Entry {
        let now: Int64
        let state: AccountState?
        /// `nil` for an account that does not exist: dropped when any account is written.
        let rows: Rows?
    }

    private struct State {
        var generation: UInt64 = 0
        var entries: [String: Entry] = [:]
        /// The account whose entry was read from each `accounts` and `balances` row, so that a commit drops
        /// the entries of the rows it changed without looking at the others (it runs on the writer's queue).
        var byAccountRow: [Int64: String] = [:]
        var byBalanceRow: [Int64: String] = [:]
        /// The accounts cached as absent.
        var absent: Set<String> = []

        mutating func remove(_ id: String) {
            guard let entry = entries.removeValue(forKey: id) else { return }
            if let rows = entry.rows {
                byAccountRow[rows.account] = nil
                byBalanceRow[rows.balance] = nil
            } else {
                absent.remove(id)
            }
        }

        mutating func removeAll() {
            entries.removeAll(keepingCapacity: true)
            byAccountRow.removeAll(keepingCapacity: true)
            byBalanceRow.removeAll(keepingCapacity: true)
            absent.removeAll(keepingCapacity: true)
        }
    }

    private let state = Mutex(State())

    /// The count of commits that changed accounts so far; a read notes it before it starts.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// The account `id` as read at `now` since its rows last changed, or `nil` when it is not cached (an account
    /// that does not exist is cached as `.some(nil)`).
    func state(of id: String, now: Int64) -> AccountState?? {
        state.withLock { state in
            guard let entry = state.entries[id], entry.now == now else { return nil }
            return .some(entry.state)
        }
    }

    /// Keeps `account` (read from `rows`, or absent), read at `now` by a read that began at `generation`, unless a
    /// commit changed accounts since.
    func keep(_ account: AccountState?, rows: Rows?, of id: String, now: Int64, readFrom generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= Self.capacity, state.entries[id] == nil { state.removeAll() }
            state.remove(id)
            state.entries[id] = Entry(now: now, state: account, rows: rows)
            if let rows {
                state.byAccountRow[rows.account] = id
                state.byBalanceRow[rows.balance] = id
            } else {
                state.absent.insert(id)
            }
        }
    }

    /// Drops the entries read from the `accounts` rows `accountRows` or the `balances` rows `balanceRows`, and
    /// those of absent accounts when an `accounts` row changed: a transaction that changed them committed.
    func committed(accountRows: Set<Int64>, balanceRows: Set<Int64>) {
        state.withLock { state in
            state.generation &+= 1
            for row in accountRows { if let id = state.byAccountRow[row] { state.remove(id) } }
            for row in balanceRows { if let id = state.byBalanceRow[row] { state.remove(id) } }
            if !accountRows.isEmpty { for id in state.absent { state.remove(id) } }
        }
    }
}

/// Tells ``AccountStateCache`` which `accounts` and `balances` rows each committed transaction of the writer
/// changed. GRDB calls it on the writer's queue, inside the transaction and at its end, before the group commit
/// answers any writer; a savepoint rolled back takes its changes with it.
final class AccountRowObserver: TransactionObserver, @unchecked Sendable {
    private let cache: AccountStateCache
    /// Rows changed by the open transaction (touched on the writer's queue only).
    private var accountRows: Set<Int64> = []
    private var balanceRows: Set<Int64> = []

    init(cache: AccountStateCache) {
        self.cache = cache
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        eventKind.tableName == "accounts" || eventKind.tableName == "balances"
    }

    func databaseDidChange(with event: DatabaseEvent) {
        if event.tableName == "accounts" {
            accountRows.insert(event.rowID)
        } else {
            balanceRows.insert(event.rowID)
        }
    }

    func databaseDidCommit(_ db: Database) {
        guard !accountRows.isEmpty || !balanceRows.isEmpty else { return }
        cache.committed(accountRows: accountRows, balanceRows: balanceRows)
        accountRows = []
        balanceRows = []
    }

    func databaseDidRollback(_ db: Database) {
        accountRows = []
        balanceRows = []
    }
}
