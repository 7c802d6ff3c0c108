import StoreModel

extension Store {
    /// Creates an account with a zero balance; the same id with the same parameters returns it.
    public func createAccount(_ record: AccountRecord) async throws(StoreError) -> AccountInsertion {
        try await measure("create account", writes: true) { engine throws(StoreError) in
            try await engine.createAccount(record)
        }
    }

    /// The account `id` with its balance, holds and spending of the 24 hours before `now`.
    public func account(id: String, now: Int64) async throws(StoreError) -> AccountState? {
        try await measure("read account") { engine throws(StoreError) in try await engine.account(id: id, now: now) }
    }

    /// Accounts in id order, filtered, with their total.
    public func accounts(status: AccountStatus?, prefix: String?, limit: Int, cursor: String?, now: Int64)
        async throws(StoreError) -> Page<AccountState>
    {
        try await measure("list accounts") { engine throws(StoreError) in
            try await engine.accounts(status: status, prefix: prefix, limit: limit, cursor: cursor, now: now)
        }
    }

    /// Changes an account that is not closed; `nil` when there is no such account.
    public func updateAccount(_ id: String, _ change: AccountChange, now: Int64) async throws(StoreError)
        -> AccountState?
    {
        try await measure("update account", writes: true) { engine throws(StoreError) in
            try await engine.updateAccount(id, change, now: now)
        }
    }

    /// Closes an empty account; `nil` when there is no such account.
    public func closeAccount(_ id: String, now: Int64) async throws(StoreError) -> AccountState? {
        try await measure("close account", writes: true) { engine throws(StoreError) in
            try await engine.closeAccount(id, now: now)
        }
    }

    /// Moves money between two accounts, checked and debited atomically, idempotent by `key`.
    public func transfer(
        _ record: TransferRecord, key: WriteKey, events: @escaping @Sendable (TransferRecord) -> [NewEvent]
    ) async throws(StoreError) -> TransferOutcome {
        try await measure("transfer", writes: true) { engine throws(StoreError) in
            try await engine.transfer(record, key: key, events: events)
        }
    }

    /// The transfer with this id.
    public func transfer(id: String) async throws(StoreError) -> TransferRecord? {
        try await measure("read transfer") { engine throws(StoreError) in try await engine.transfer(id: id) }
    }

    /// One account's postings newest first, filtered, with the totals of the whole filtered range.
    public func statement(account: String, filter: StatementFilter, limit: Int, cursor: String?)
        async throws(StoreError) -> AccountStatement
    {
        try await measure("read statement") { engine throws(StoreError) in
            try await engine.statement(account: account, filter: filter, limit: limit, cursor: cursor)
        }
    }

    /// Checks the journal against the balances and holds.
    public func ledgerAudit() async throws(StoreError) -> LedgerAudit {
        try await measure("audit ledger") { engine throws(StoreError) in try await engine.ledgerAudit() }
    }
}
