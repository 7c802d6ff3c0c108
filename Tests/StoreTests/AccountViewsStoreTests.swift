import Foundation
import GRDB
import JSONRPC
import Lightning
import PostgresNIO
import Store
import TestSupport
import Testing

@testable import PostgresStore
@testable import SQLiteStore

/// The lists filtered by account (invoices, payments, the wallet history, events) and the `account.credited` /
/// `account.debited` events every posting to a caller's account writes, on both engines; the statement's statuses
/// and paging are in `AccountViewsStoreTests+Statement.swift`.
@Suite struct AccountViewsStoreTests {
    let directory = TemporaryDirectory()

    func openStore(_ engine: String) async throws -> Store {
        try await Store(
            configuration: .init(location: try StoreLocation(url: try await StoreEngines.url(engine, in: directory))))
    }

    /// An open invoice of `account` for `amount`, created at `at`.
    func invoice(_ store: Store, _ account: String, _ amount: Int64, at: Int64) async throws -> PaymentHash {
        let record = InvoiceRecord.unpaid(amount, account: account, at: at)
        _ = try await store.createInvoice(record)
        return record.paymentHash
    }

    /// Pays the invoice `hash` of `account` in full at `at`, with an `invoice.paid` event naming its account.
    func settle(_ store: Store, _ hash: PaymentHash, _ account: String, _ amount: Int64, at: Int64) async throws {
        _ = try await store.markInvoicePaid(
            hash, amountReceived: MilliSatoshi(amount), preimage: Preimage.random(), paidAt: at, settleIndex: nil,
            event: { _ in NewEvent(type: "invoice.paid", at: at, data: #"{"account":"\#(account)"}"#) })
    }

    /// A payment of `amount` with fee `fee` from `account`, begun at `at` and succeeded at `at + 1`.
    func pay(_ store: Store, from account: String, _ amount: Int64, fee: Int64, at: Int64) async throws
        -> PaymentHash
    {
        let hash = Preimage.random().paymentHash
        let record = PaymentRecord(
            paymentHash: hash, bolt11: "lnbcrt1", status: .pending, amount: MilliSatoshi(amount),
            maxFee: MilliSatoshi(fee), idempotencyKey: nil, createdAt: at, account: account)
        guard case .started = try await store.beginPayment(record) else { throw StoreError(.database, "not started") }
        _ = try await store.completePayment(
            hash, outcome: .succeeded(preimage: Preimage.random(), fee: MilliSatoshi(fee)), at: at + 1,
            event: { _ in NewEvent(type: "payment.succeeded", at: at + 1, data: #"{"account":"\#(account)"}"#) })
        return hash
    }

    func totals(_ incoming: Int64, _ outgoing: Int64, _ fees: Int64, _ count: Int64) -> WalletTotals {
        WalletTotals(
            incoming: MilliSatoshi(incoming), outgoing: MilliSatoshi(outgoing), fees: MilliSatoshi(fees), count: count)
    }

    func transfer(_ store: Store, _ from: String, _ to: String, _ amount: Int64, at: Int64) async throws
        -> TransferOutcome
    {
        try await store.transfer(
            TransferRecord(
                transferID: "tr-\(at)", from: from, to: to, amount: MilliSatoshi(amount), memo: nil, createdAt: at),
            key: WriteKey(
                method: "account.transfer", key: "k-\(at)", fingerprint: "f-\(at)", objectID: "tr-\(at)",
                createdAt: at))
    }

    /// Two caller accounts and the treasury: user:1 is paid three invoices, pays once and sends user:2 a transfer;
    /// user:2 has one paid and one open invoice; the treasury one paid invoice.
    func populate(_ store: Store) async throws -> (user1Invoices: [PaymentHash], user1Payment: PaymentHash) {
        for id in ["user:1", "user:2"] {
            _ = try await store.createAccount(
                AccountRecord(
                    id: id, name: id, metadata: nil, limits: AccountLimits(), createdAt: 1, requestFingerprint: id))
        }
        var user1: [PaymentHash] = []
        for (index, amount) in [10_000, 20_000, 30_000].enumerated() {
            let at = Int64(100 + index * 10)
            let hash = try await invoice(store, "user:1", Int64(amount), at: at)
            try await settle(store, hash, "user:1", Int64(amount), at: at + 1)
            user1.append(hash)
        }
        try await settle(store, try await invoice(store, "user:2", 5_000, at: 140), "user:2", 5_000, at: 141)
        _ = try await invoice(store, "user:2", 7_000, at: 150)
        try await settle(store, try await invoice(store, "@treasury", 9_000, at: 160), "@treasury", 9_000, at: 161)
        let paid = try await pay(store, from: "user:1", 4_000, fee: 25, at: 170)
        guard case .transferred = try await transfer(store, "user:1", "user:2", 1_500, at: 180) else {
            throw StoreError(.database, "not transferred")
        }
        return (user1, paid)
    }

    @Test(arguments: StoreEngines.all) func listsShowOnlyTheAccountAskedAndEverythingWithout(engine: String)
        async throws
    {
        defer { directory.remove() }
        let store = try await openStore(engine)
        let (user1Invoices, user1Payment) = try await populate(store)

        let first = try await store.invoices(status: nil, account: "user:1", limit: 2, cursor: nil)
        #expect(first.items.map(\.paymentHash) == [user1Invoices[2], user1Invoices[1]])
        let second = try await store.invoices(status: nil, account: "user:1", limit: 2, cursor: first.nextCursor)
        #expect(second.items.map(\.paymentHash) == [user1Invoices[0]] && second.nextCursor == nil)
        #expect(
            try await store.invoices(status: .open, account: "user:2", limit: 10, cursor: nil).items.map(\.amount)
                == [MilliSatoshi(7_000)])
        #expect(try await store.invoices(status: nil, account: nil, limit: 10, cursor: nil).items.count == 6)
        #expect(try await store.invoices(status: nil, account: "user:9", limit: 10, cursor: nil).items.isEmpty)

        #expect(
            try await store.payments(status: nil, account: "user:1", limit: 10, cursor: nil).items.map(\.paymentHash)
                == [user1Payment])
        #expect(try await store.payments(status: nil, account: "user:2", limit: 10, cursor: nil).items.isEmpty)
        #expect(try await store.payments(status: nil, account: nil, limit: 10, cursor: nil).items.count == 1)
    }

    @Test(arguments: StoreEngines.all) func walletHistoryOfOneAccountPagesWithItsOwnTotals(engine: String)
        async throws
    {
        defer { directory.remove() }
        let store = try await openStore(engine)
        _ = try await populate(store)

        let user1 = WalletTransactionFilter(account: "user:1")
        let first = try await store.walletTransactions(user1, limit: 3, cursor: nil)
        #expect(first.page.items.map(\.amount.rawValue) == [4_000, 30_000, 20_000])
        #expect(first.totals == totals(60_000, 4_000, 25, 4))
        let second = try await store.walletTransactions(user1, limit: 3, cursor: first.page.nextCursor)
        #expect(second.page.items.map(\.amount.rawValue) == [10_000] && second.page.nextCursor == nil)
        #expect(second.totals == first.totals)
        let incoming = try await store.walletTransactions(
            WalletTransactionFilter(direction: .incoming, account: "user:2"), limit: 10, cursor: nil)
        #expect(incoming.totals == totals(5_000, 0, 0, 1))
        let everything = try await store.walletTransactions(WalletTransactionFilter(), limit: 10, cursor: nil)
        #expect(everything.totals == totals(74_000, 4_000, 25, 6))
    }

    @Test(arguments: StoreEngines.all) func everyPostingToACallerAccountIsAnnounced(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        let (user1Invoices, user1Payment) = try await populate(store)

        let user1 = try await store.events(after: 0, account: "user:1", limit: 100)
        #expect(
            user1.map(\.type) == [
                "account.credited", "invoice.paid", "account.credited", "invoice.paid", "account.credited",
                "invoice.paid", "account.debited", "payment.succeeded", "account.debited",
            ])
        let credited = try JSONValue.parse(Array(user1[0].data.utf8))
        #expect(credited["amount_msat"] == .integer(10_000) && credited["amount_sat"] == .integer(10))
        #expect(credited["cause"] == "invoice" && credited["payment_hash"] == .string(user1Invoices[0].hex))
        guard case .integer(let entryID)? = credited["entry_id"] else { Issue.record("no entry id"); return }
        #expect(credited["transfer_id"] == .null && entryID > 0)
        let debited = try JSONValue.parse(Array(user1[6].data.utf8))
        #expect(debited["amount_msat"] == .integer(4_025) && debited["cause"] == "payment")
        #expect(debited["payment_hash"] == .string(user1Payment.hex))
        let sent = try JSONValue.parse(Array(user1[8].data.utf8))
        #expect(sent["amount_msat"] == .integer(1_500) && sent["cause"] == "transfer")
        #expect(sent["transfer_id"] == "tr-180" && sent["payment_hash"] == .null)

        let user2 = try await store.events(after: 0, account: "user:2", limit: 100)
        #expect(user2.map(\.type) == ["account.credited", "invoice.paid", "account.credited"])
        // The system accounts get no credits or debits: the treasury's invoice is its only event.
        #expect(try await store.events(after: 0, account: "@treasury", limit: 100).map(\.type) == ["invoice.paid"])
        let later = try await store.events(after: user1[5].index, account: "user:1", limit: 2)
        #expect(later.map(\.index) == [user1[6].index, user1[7].index])
        #expect(try await store.events(after: 0, limit: 100).count == 13)
    }

    @Test func sqliteServesTheAccountFiltersFromIndexes() async throws {
        defer { directory.remove() }
        let store = try await openStore("sqlite")
        _ = try await populate(store)
        try await store.close()
        let database = try DatabaseQueue(path: directory.file("store.sqlite"))
        func plan(_ sql: String, _ arguments: StatementArguments) throws -> String {
            try database.read { database in
                try Row.fetchAll(database, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        // The queries the engine runs, with the account asked.
        for table in ["invoices", "payments"] {
            let page = try plan(
                """
                SELECT rowid AS cursor_id, * FROM \(table) WHERE (?1 IS NULL OR status = ?1)
                    AND (?2 IS NULL OR rowid < ?2) AND \(SQLiteStore.accountCondition("user:1"))
                ORDER BY rowid DESC LIMIT ?3
                """, [nil, nil, 3, "user:1"])
            #expect(page.contains("USING INDEX \(table)_account"), "\(page)")
        }
        let history = try plan(
            "SELECT * FROM \(WalletHistorySQL.rows) WHERE \(SQLiteStore.accountCondition("user:1"))",
            [nil, nil, nil, "user:1"])
        #expect(history.contains("USING INDEX invoices_account") && history.contains("USING INDEX payments_account"))
        #expect(!history.contains("SCAN invoices") && !history.contains("SCAN payments"), "\(history)")
        let events = try plan(
            "SELECT * FROM events WHERE \(LedgerSchema.eventAccount.sqlite) = ? AND idx > ? ORDER BY idx LIMIT ?",
            ["user:1", 0, 5])
        #expect(events.contains("USING INDEX events_account"), "\(events)")
    }

    /// PostgreSQL can serve each filter from its index (sequential scans are disabled to ask whether it can:
    /// on tables this small it would rather scan).
    @Test func postgresCanServeTheAccountFiltersFromIndexes() async throws {
        defer { directory.remove() }
        let store = try await openStore("postgres")
        _ = try await populate(store)
        let postgres = try #require(store.base as? PostgresStore)
        func plan(_ sql: String) async throws -> String {
            try await postgres.client.withConnection { connection in
                try await connection.query("BEGIN", logger: postgres.logger)
                try await connection.query("SET LOCAL enable_seqscan = off", logger: postgres.logger)
                let lines = try await connection.rows(PostgresQuery(unsafeSQL: "EXPLAIN " + sql), postgres.logger)
                    .map { try $0.requiredText("QUERY PLAN") }
                try await connection.query("COMMIT", logger: postgres.logger)
                return lines.joined(separator: "; ")
            }
        }
        for table in ["invoices", "payments"] {
            let page = try await plan(
                """
                SELECT row_id AS cursor_id, * FROM \(table) WHERE (NULL::text IS NULL OR status = NULL)
                    AND (NULL::bigint IS NULL OR row_id < NULL) AND ('user:1'::text IS NULL OR account = 'user:1')
                ORDER BY row_id DESC LIMIT 3
                """)
            #expect(page.contains("\(table)_account_row"), "\(page)")
        }
        let history = try await plan(
            "SELECT * FROM \(WalletHistorySQL.rows) WHERE ('user:1'::text IS NULL OR account = 'user:1')")
        #expect(history.contains("invoices_account") && history.contains("payments_account"), "\(history)")
        let events = try await plan(
            """
            SELECT * FROM events WHERE \(LedgerSchema.eventAccount.postgres) = 'user:1' AND idx > 0
            ORDER BY idx LIMIT 5
            """)
        #expect(events.contains("events_account"), "\(events)")
    }
}
