import Foundation
import GRDB
import Lightning
import Store
import Synchronization
import TestSupport
import Testing

@testable import SQLiteStore

/// The accounts ledger in the store, on both engines: postings that sum to zero with the state change that
/// causes them, holds, atomic debits under concurrency, replay and limits.
@Suite struct LedgerStoreTests {
    let directory = TemporaryDirectory()
    let day: Int64 = 86_400

    func openStore(_ url: String) async throws -> Store {
        try await Store(configuration: .init(location: try StoreLocation(url: url)))
    }

    /// One store of `engine`, or on PostgreSQL three on one database (instances); the first is given first.
    func openInstances(_ engine: String) async throws -> [Store] {
        let url = try await StoreEngines.url(engine, in: directory)
        var stores = [try await openStore(url)]
        if engine == "postgres" { stores += [try await openStore(url), try await openStore(url)] }
        return stores
    }

    func account(_ id: String, limits: AccountLimits = AccountLimits()) -> AccountRecord {
        AccountRecord(id: id, name: id, metadata: nil, limits: limits, createdAt: 100, requestFingerprint: "f-\(id)")
    }

    /// Credits `amount` to `account` by an invoice of that account paid at `at`.
    func fund(_ store: Store, _ account: String, _ amount: Int64, at: Int64 = 100) async throws {
        let preimage = try await openInvoice(store, of: account, amount, description: "top-up", at: at)
        let paid = try await store.markInvoicePaid(
            preimage.paymentHash, amountReceived: MilliSatoshi(amount), preimage: preimage, paidAt: at,
            settleIndex: nil, event: { _ in NewEvent(type: "invoice.paid", at: at, data: "{}") })
        #expect(paid?.0.account == account)
    }

    func payment(from account: String, amount: Int64, maxFee: Int64, at: Int64 = 200) -> PaymentRecord {
        PaymentRecord(
            paymentHash: Preimage.random().paymentHash, bolt11: "lnbcrt1", status: .pending,
            amount: MilliSatoshi(amount), maxFee: MilliSatoshi(maxFee), idempotencyKey: nil, createdAt: at,
            account: account)
    }

    func transfer(_ from: String, _ to: String, _ amount: Int64, key: String, at: Int64 = 300)
        -> (TransferRecord, WriteKey)
    {
        let record = TransferRecord(
            transferID: "tr-\(key)", from: from, to: to, amount: MilliSatoshi(amount), memo: nil, createdAt: at)
        return (
            record,
            WriteKey(
                method: "account.transfer", key: key, fingerprint: "\(from)>\(to):\(amount)", objectID: "tr-\(key)",
                createdAt: at)
        )
    }

    func send(_ store: Store, _ transfer: (TransferRecord, WriteKey)) async throws -> TransferOutcome {
        try await store.transfer(transfer.0, key: transfer.1)
    }

    func available(_ store: Store, _ id: String, now: Int64 = 400) async throws -> Int64? {
        try await store.account(id: id, now: now)?.available
    }

    @Test(arguments: StoreEngines.all) func invoicesPaymentsAndTransfersPostBalancedEntries(engine: String)
        async throws
    {
        defer { directory.remove() }
        let store = try await openStore(try await StoreEngines.url(engine, in: directory))
        #expect(try await store.account(id: AccountRecord.treasury, now: 1)?.balance == 0)
        guard case .created = try await store.createAccount(account("user:1")) else {
            Issue.record("not created"); return
        }
        _ = try await store.createAccount(account("user:2"))
        try await fund(store, "user:1", 10_000)
        try await fund(store, AccountRecord.treasury, 4_000)

        // A payment holds amount + fee cap, then debits amount + fee.
        let paying = payment(from: "user:1", amount: 3_000, maxFee: 100)
        guard case .started = try await store.beginPayment(paying) else { Issue.record("not started"); return }
        let held = try await store.account(id: "user:1", now: 250)
        #expect(held?.balance == 10_000 && held?.held == 3_100 && held?.available == 6_900)
        #expect(held?.spentLastDay == 3_100)
        _ = try await store.completePayment(
            paying.paymentHash, outcome: .succeeded(preimage: Preimage.random(), fee: MilliSatoshi(40)), at: 260,
            event: { _ in NewEvent(type: "payment.succeeded", at: 260, data: "{}") })
        // A failed payment only releases its hold.
        let failing = payment(from: "user:1", amount: 1_000, maxFee: 10)
        _ = try await store.beginPayment(failing)
        _ = try await store.completePayment(
            failing.paymentHash, outcome: .failed(.noRoute), at: 270,
            event: { _ in NewEvent(type: "payment.failed", at: 270, data: "{}") })
        guard case .transferred = try await send(store, transfer("user:1", "user:2", 960, key: "t1")) else {
            Issue.record("not transferred"); return
        }

        let user1 = try await store.account(id: "user:1", now: 400)
        #expect(user1?.balance == 6_000 && user1?.held == 0 && user1?.spentLastDay == 4_000)
        let listed = try await store.accounts(status: nil, prefix: "user:1", limit: 1, cursor: nil, now: 400)
        #expect(listed.items.map(\.spentLastDay) == [4_000])
        #expect(try await store.account(id: "user:2", now: 400)?.balance == 960)
        #expect(try await store.account(id: AccountRecord.node, now: 400)?.balance == 10_960)
        let statement = try await store.statement(
            account: "user:1", filter: StatementFilter(status: .settled), limit: 2, cursor: nil)
        #expect(statement.page.items.map(\.kind) == [.transfer, .payment])
        #expect(statement.page.items.map(\.counterparty) == ["user:2", AccountRecord.node])
        #expect(
            statement.totals
                == WalletTotals(
                    incoming: MilliSatoshi(10_000), outgoing: MilliSatoshi(4_000), fees: MilliSatoshi(40), count: 3))
        let incoming = try await store.statement(
            account: "user:1", filter: StatementFilter(incoming: true), limit: 2, cursor: statement.page.nextCursor)
        #expect(incoming.page.items.map(\.amount) == [10_000] && incoming.totals.count == 1)
        let audit = try await store.ledgerAudit()
        #expect(audit.isClean, "\(audit)")
        #expect(audit.entries == 4 && audit.postings == 8)
        #expect(audit.liabilities == 10_960 && audit.nodeBalance == 10_960)
    }

    @Test(arguments: StoreEngines.all) func paymentsAndTransfersBeyondTheAvailableBalanceAreRefused(
        engine: String
    ) async throws {
        defer { directory.remove() }
        let store = try await openStore(try await StoreEngines.url(engine, in: directory))
        _ = try await store.createAccount(account("a"))
        _ = try await store.createAccount(account("b"))
        try await fund(store, "a", 1_000)
        guard
            case .refused(.insufficientFunds(available: 1_000)) = try await store.beginPayment(
                payment(from: "a", amount: 950, maxFee: 51))
        else { Issue.record("payment over the balance not refused"); return }
        #expect(
            try await send(store, transfer("a", "b", 1_001, key: "t")) == .refused(.insufficientFunds(available: 1_000))
        )
        #expect(try await send(store, transfer("a", "nobody", 1, key: "t")) == .refused(.accountNotFound("nobody")))
        _ = try await store.updateAccount("a", AccountChange(status: .frozen), now: 300)
        #expect(try await send(store, transfer("a", "b", 1, key: "t")) == .refused(.accountFrozen("a", .frozen)))
        // A frozen account still receives.
        #expect(try await send(store, transfer("b", "a", 1, key: "u")) == .refused(.insufficientFunds(available: 0)))
        try await fund(store, "a", 5)
        #expect(try await store.account(id: "a", now: 400)?.balance == 1_005)
        // Nothing was posted for the refusals; the @treasury pays without an account balance check, as before.
        guard case .started = try await store.beginPayment(payment(from: AccountRecord.treasury, amount: 5, maxFee: 1))
        else { Issue.record("treasury payment refused"); return }
        #expect(try await store.ledgerAudit().isClean)
        await #expect(throws: StoreError(.accountConflict, "account a still has money, holds or open invoices")) {
            try await store.closeAccount("a", now: 500)
        }
    }

    @Test(arguments: StoreEngines.all) func accountsAreIdempotentByIdAndListedWithTheirTotal(engine: String)
        async throws
    {
        defer { directory.remove() }
        let store = try await openStore(try await StoreEngines.url(engine, in: directory))
        for id in ["club:om/fan:1", "club:om/fan:2", "club:om/fan:3", "user:9"] {
            _ = try await store.createAccount(account(id))
        }
        guard case .existing(let again) = try await store.createAccount(account("user:9")) else {
            Issue.record("not idempotent"); return
        }
        #expect(again.account.id == "user:9")
        var other = account("user:9")
        other.requestFingerprint = "other"
        await #expect(throws: StoreError(.accountConflict, "account user:9 exists with other parameters")) {
            try await store.createAccount(other)
        }
        let first = try await store.accounts(status: nil, prefix: "club:om/", limit: 2, cursor: nil, now: 1)
        #expect(first.items.map(\.account.id) == ["club:om/fan:1", "club:om/fan:2"] && first.total == 3)
        let second = try await store.accounts(
            status: nil, prefix: "club:om/", limit: 2, cursor: first.nextCursor, now: 1)
        #expect(second.items.map(\.account.id) == ["club:om/fan:3"] && second.nextCursor == nil)
        #expect(try await store.closeAccount("user:9", now: 2)?.account.status == .closed)
        #expect(try await store.accounts(status: .open, prefix: nil, limit: 10, cursor: nil, now: 1).total == 5)
    }

    @Test(arguments: StoreEngines.all) func aReplayedTransferMovesNothingAgainEvenAfterARestart(engine: String)
        async throws
    {
        defer { directory.remove() }
        let url = try await StoreEngines.url(engine, in: directory)
        let store = try await openStore(url)
        _ = try await store.createAccount(account("a"))
        _ = try await store.createAccount(account("b"))
        try await fund(store, "a", 5_000)
        guard case .transferred(let first, _) = try await send(store, transfer("a", "b", 2_000, key: "k")) else {
            Issue.record("not transferred"); return
        }
        #expect(try await send(store, transfer("a", "b", 2_000, key: "k")) == .replayed(first))
        try await store.close()
        let reopened = try await openStore(url)
        #expect(try await send(reopened, transfer("a", "b", 2_000, key: "k", at: 999)) == .replayed(first))
        await #expect(throws: StoreError(.idempotencyConflict, "the idempotency key of a transfer is already used")) {
            try await send(reopened, transfer("a", "b", 1_000, key: "k"))
        }
        #expect(try await available(reopened, "a") == 3_000)
        #expect(try await reopened.transfer(id: first.transferID) == first)
    }

    @Test(arguments: StoreEngines.all) func limitsHoldAcrossARestart(engine: String) async throws {
        defer { directory.remove() }
        let url = try await StoreEngines.url(engine, in: directory)
        let store = try await openStore(url)
        let limits = AccountLimits(maxPayment: MilliSatoshi(2_000), dailySpend: MilliSatoshi(2_500))
        _ = try await store.createAccount(account("a", limits: limits))
        _ = try await store.createAccount(account("b"))
        try await fund(store, "a", 10_000)
        guard
            case .refused(.limitExceeded(limit: "max_payment_msat", retryAfterSeconds: nil)) =
                try await store.beginPayment(payment(from: "a", amount: 2_001, maxFee: 0))
        else { Issue.record("max_payment_msat not enforced"); return }
        let start: Int64 = 1_000_000
        guard case .transferred = try await send(store, transfer("a", "b", 1_000, key: "1", at: start)),
            case .transferred = try await send(store, transfer("a", "b", 1_000, key: "2", at: start + 600))
        else { Issue.record("within the limit, refused"); return }
        try await store.close()
        let reopened = try await openStore(url)
        // 2,000 spent in the window: 1,000 more must wait until the first spend leaves it. Both spends are in one
        // hour's bucket (`SpendBuckets`), read as one spend at the end of that hour, so the wait given ends when
        // the whole hour has left the window (never before the first spend has).
        let endOfTheirHour = (start / 3_600 + 1) * 3_600
        #expect(
            try await send(reopened, transfer("a", "b", 1_000, key: "3", at: start + 1_000))
                == .refused(
                    .limitExceeded(
                        limit: "daily_spend_msat", retryAfterSeconds: endOfTheirHour - 1 + day - (start + 1_000))))
        #expect(
            try await send(reopened, transfer("a", "b", 3_000, key: "3", at: start + 1_000))
                == .refused(.limitExceeded(limit: "daily_spend_msat", retryAfterSeconds: nil)))
        guard case .transferred = try await send(reopened, transfer("a", "b", 1_000, key: "3", at: start + day + 1))
        else { Issue.record("not allowed after the window moved"); return }
        #expect(try await reopened.account(id: "a", now: start + day + 1)?.spentLastDay == 2_000)
    }

    /// 50 concurrent debits (25 payments, 25 transfers, each 1,000) of an account that affords exactly 10:
    /// exactly 10 succeed, the rest are refused for insufficient funds, and the available balance, sampled
    /// throughout, never reads negative. On PostgreSQL the calls are spread over three stores (instances).
    @Test(arguments: StoreEngines.all) func fiftyConcurrentDebitsOfTenAffordableSucceedTenTimes(engine: String)
        async throws
    {
        defer { directory.remove() }
        let stores = try await openInstances(engine)
        let first = stores[0]
        _ = try await first.createAccount(account("payer"))
        _ = try await first.createAccount(account("payee"))
        try await fund(first, "payer", 10_000)
        let sampling = Atomic(true)
        let lowest = Mutex(Int64.max)
        let sampler = Task {
            while sampling.load(ordering: .relaxed) {
                if let value = try await available(first, "payer") { lowest.withLock { $0 = min($0, value) } }
            }
        }
        let outcomes = try await withThrowingTaskGroup(of: (PaymentHash?, Bool).self) { group in
            for index in 0..<50 {
                let store = stores[index % stores.count]
                group.addTask {
                    if index.isMultiple(of: 2) {
                        let record = payment(from: "payer", amount: 900, maxFee: 100)
                        switch try await store.beginPayment(record) {
                        case .started: return (record.paymentHash, true)
                        case .refused(.insufficientFunds): return (nil, false)
                        default: throw StoreError(.database, "unexpected payment start")
                        }
                    }
                    switch try await send(store, transfer("payer", "payee", 1_000, key: "race-\(index)")) {
                    case .transferred: return (nil, true)
                    case .refused(.insufficientFunds): return (nil, false)
                    default: throw StoreError(.database, "unexpected transfer outcome")
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        sampling.store(false, ordering: .relaxed)
        try await sampler.value
        #expect(outcomes.filter(\.1).count == 10)
        #expect(outcomes.filter { !$0.1 }.count == 40)
        for case (let hash?, _) in outcomes {
            _ = try await first.completePayment(
                hash, outcome: .succeeded(preimage: Preimage.random(), fee: MilliSatoshi(100)), at: 500,
                event: { _ in NewEvent(type: "payment.succeeded", at: 500, data: "{}") })
        }
        let payer = try await first.account(id: "payer", now: 600)
        #expect(payer?.balance == 0 && payer?.held == 0)
        #expect(lowest.withLock { $0 } >= 0)
        #expect(try await first.ledgerAudit().isClean)
    }

    /// Concurrent paid invoices and payments of `@treasury` through three store instances (one on SQLite): on
    /// PostgreSQL their `@treasury` and `@node` legs spread over several connections' shards instead of waiting
    /// for one row, and the accounts still read one exact balance, which the audit finds equal to the postings.
    @Test(arguments: StoreEngines.all) func systemAccountsMovedConcurrentlyReadOneExactBalance(engine: String)
        async throws
    {
        defer { directory.remove() }
        let stores = try await openInstances(engine)
        let first = stores[0]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<60 {
                let store = stores[index % stores.count]
                group.addTask {
                    try await fund(store, AccountRecord.treasury, 1_000)
                    guard index.isMultiple(of: 3) else { return }
                    let record = payment(from: AccountRecord.treasury, amount: 300, maxFee: 10)
                    guard case .started = try await store.beginPayment(record) else {
                        throw StoreError(.database, "a payment of @treasury did not start")
                    }
                    _ = try await store.completePayment(
                        record.paymentHash, outcome: .succeeded(preimage: Preimage.random(), fee: MilliSatoshi(5)),
                        at: 500, event: { _ in NewEvent(type: "payment.succeeded", at: 500, data: "{}") })
                }
            }
            try await group.waitForAll()
        }
        let expected: Int64 = 60 * 1_000 - 20 * 305
        let treasury = try await first.account(id: AccountRecord.treasury, now: 600)
        #expect(treasury?.balance == expected && treasury?.held == 0)
        #expect(try await first.account(id: AccountRecord.node, now: 600)?.balance == expected)
        let audit = try await first.ledgerAudit()
        #expect(audit.isClean && audit.liabilities == expected && audit.nodeBalance == expected)
        let shards = try await first.rows(of: try #require(StoreSchema.tables.first { $0.name == "balance_shards" }))
        if engine == "postgres" {
            #expect(Set(shards.map { $0[1] }).count > 1)
        } else {
            #expect(shards.isEmpty)
        }
    }

    @Test func migrationV9GivesExistingHistoryToTheTreasury() async throws {
        defer { directory.remove() }
        let store = try await storeWithHistoryBeforeV9 { database in
            func hash() -> String { Preimage.random().paymentHash.hex }
            try database.execute(
                sql: """
                    INSERT INTO invoices (payment_hash, bolt11, amount_msat, expiry_s, status, created_at, expires_at,
                        paid_at, amount_received_msat, request_fingerprint)
                    VALUES (?, 'x', 50000, 60, 'paid', 1, 61, 2, 50000, 'f'), (?, 'x', 7, 60, 'open', 1, 61, NULL, NULL, 'f')
                    """, arguments: [hash(), hash()])
            try database.execute(
                sql: """
                    INSERT INTO payments (payment_hash, bolt11, status, amount_msat, max_fee_msat, fee_msat, preimage,
                        created_at)
                    VALUES (?, 'x', 'succeeded', 20000, 100, 30, ?, 3), (?, 'x', 'pending', 4000, 50, NULL, NULL, 4)
                    """, arguments: [hash(), hash(), hash()])
        }
        #expect(try await store.appliedMigrations().contains("v9_accounts"))
        let treasury = try await store.account(id: AccountRecord.treasury, now: 10)
        #expect(treasury?.balance == 29_970 && treasury?.held == 4_050)
        #expect(try await store.account(id: AccountRecord.node, now: 10)?.balance == 29_970)
        let audit = try await store.ledgerAudit()
        #expect(audit.isClean && audit.entries == 1 && audit.liabilities == 29_970)
        #expect(
            try await store.payments(status: .pending, account: nil, limit: 10, cursor: nil).items.map(\.account) == [
                "@treasury"
            ])
    }
}

extension LedgerStoreTests {
    /// A SQLite store migrated up to v8 holding what `history` writes there, then up to `version` on its own
    /// (when given), opened as the daemon opens it (every later version applied).
    /// Stores, before v9, an invoice of 50,000 msat paid at 2.
    static func insertPaidInvoice(_ hash: String, in database: Database) throws {
        try database.execute(
            sql: """
                INSERT INTO invoices (payment_hash, bolt11, amount_msat, expiry_s, status, created_at, expires_at,
                    paid_at, amount_received_msat, request_fingerprint)
                VALUES (?, 'x', 50000, 60, 'paid', 1, 61, 2, 50000, 'f')
                """, arguments: [hash])
    }

    func storeWithHistoryBeforeV9(
        thenUpTo version: String? = nil, _ history: @escaping @Sendable (Database) throws -> Void
    ) async throws -> Store {
        let path = directory.file("old.sqlite")
        let pool = try DatabasePool(path: path)
        try SQLiteMigrations.migrator.migrate(pool, upTo: "v8_proof_holders")
        try await pool.write(history)
        if let version { try SQLiteMigrations.migrator.migrate(pool, upTo: version) }
        try pool.close()
        return try await Store(configuration: .init(path: path))
    }

    @Test func migrationV12AddsEmptyShardsAndKeepsEveryBalance() async throws {
        defer { directory.remove() }
        let store = try await storeWithHistoryBeforeV9(thenUpTo: "v10_event_outbox") { database in
            try Self.insertPaidInvoice(Preimage.random().paymentHash.hex, in: database)
        }
        #expect(try await store.appliedMigrations() == StoreSchema.versions)
        let shards = try #require(StoreSchema.tables.first { $0.name == "balance_shards" })
        #expect(try await store.rows(of: shards).isEmpty)
        #expect(try await store.account(id: AccountRecord.treasury, now: 10)?.balance == 50_000)
        #expect(try await store.account(id: AccountRecord.node, now: 10)?.balance == 50_000)
        let audit = try await store.ledgerAudit()
        #expect(audit.isClean && audit.liabilities == 50_000 && audit.nodeBalance == 50_000)
    }
}
