import GRDB
import Lightning
import PostgresNIO
import Store
import TestSupport
import Testing

@testable import PostgresStore
@testable import SQLiteStore

/// `account.statement`'s statuses in the store, on both engines: a payment in flight listed `pending` with its
/// hold, then once as `settled` or `failed`; the filters combined; totals; paging across status changes; and the
/// indexes each page reads.
extension AccountViewsStoreTests {
    /// Opens `user:1` and `user:2` and credits `user:1` 100,000 msat by an invoice paid at 100.
    func openAccounts(_ store: Store) async throws {
        for id in ["user:1", "user:2"] {
            _ = try await store.createAccount(
                AccountRecord(
                    id: id, name: id, metadata: nil, limits: AccountLimits(), createdAt: 1, requestFingerprint: id))
        }
        let funding = InvoiceRecord.unpaid(100_000, account: "user:1", at: 90)
        _ = try await store.createInvoice(funding)
        _ = try await store.markInvoicePaid(
            funding.paymentHash, amountReceived: MilliSatoshi(100_000), preimage: Preimage.random(), paidAt: 100,
            settleIndex: nil, event: { _ in NewEvent(type: "invoice.paid", at: 100, data: "{}") })
    }

    /// Begins a payment of `amount` (fee cap `amount / 100`) from `user:1` at `at`, of `hash` when given; its
    /// hash.
    func begin(_ store: Store, _ amount: Int64, at: Int64, hash: PaymentHash = Preimage.random().paymentHash)
        async throws -> PaymentHash
    {
        let record = PaymentRecord(
            paymentHash: hash, bolt11: "lnbcrt1", status: .pending, amount: MilliSatoshi(amount),
            maxFee: MilliSatoshi(amount / 100), idempotencyKey: nil, createdAt: at, account: "user:1")
        guard case .started = try await store.beginPayment(record) else { throw StoreError(.database, "not started") }
        return hash
    }

    /// Completes the payment `hash` at `at`: succeeded with `fee`, or failed without one.
    func complete(_ store: Store, _ hash: PaymentHash, fee: Int64?, at: Int64) async throws {
        let outcome: PaymentOutcome =
            fee.map { .succeeded(preimage: Preimage.random(), fee: MilliSatoshi($0)) } ?? .failed(.noRoute)
        _ = try await store.completePayment(
            hash, outcome: outcome, at: at, event: { _ in NewEvent(type: "payment.done", at: at, data: "{}") })
    }

    /// Moves `amount` from `user:1` to `user:2` at `at`.
    func transferOut(_ store: Store, _ amount: Int64, at: Int64, key: String) async throws {
        let outcome = try await store.transfer(
            TransferRecord(
                transferID: "tr-\(key)", from: "user:1", to: "user:2", amount: MilliSatoshi(amount),
                memo: "memo \(key)",
                createdAt: at),
            key: WriteKey(
                method: "account.transfer", key: key, fingerprint: "f-\(key)", objectID: "tr-\(key)", createdAt: at))
        guard case .transferred = outcome else { throw StoreError(.database, "not transferred") }
    }

    func statement(
        _ store: Store, _ filter: StatementFilter = StatementFilter(), limit: Int = 50, cursor: String? = nil
    )
        async throws -> AccountStatement
    {
        try await store.statement(account: "user:1", filter: filter, limit: limit, cursor: cursor)
    }

    /// What names a line across statuses: its payment hash or its transfer.
    func identity(_ line: StatementLine) -> String {
        line.paymentHash ?? line.transferID ?? "entry \(line.entryID ?? 0)"
    }

    @Test(arguments: StoreEngines.all) func aPaymentIsPendingWithItsHoldThenSettledOnce(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        try await openAccounts(store)
        try await transferOut(store, 5_000, at: 110, key: "t1")
        let paying = try await begin(store, 20_000, at: 120)

        let held = try await statement(store)
        #expect(try await store.account(id: "user:1", now: 125)?.held == 20_200)
        #expect(held.page.items.map(\.status) == [.pending, .settled, .settled])
        #expect(
            held.page.items.first
                == StatementLine(
                    entryID: nil, kind: .payment, at: 120, amount: -20_000, counterparty: AccountRecord.node,
                    paymentHash: paying.hex, transferID: nil, fee: nil, label: nil, description: nil, bolt11: "lnbcrt1",
                    status: .pending))
        #expect(held.totals == totals(100_000, 25_000, 0, 3))

        try await complete(store, paying, fee: 150, at: 140)
        let settled = try await statement(store)
        #expect(settled.page.items.map(\.status) == [.settled, .settled, .settled])
        #expect(settled.page.items.map(\.amount) == [-20_150, -5_000, 100_000])
        let line = try #require(settled.page.items.first)
        #expect(line.paymentHash == paying.hex && line.kind == .payment && line.at == 120 && line.fee == 150)
        #expect(line.entryID != nil && line.counterparty == AccountRecord.node)
        #expect(settled.totals == totals(100_000, 25_150, 150, 3))
        #expect(try await store.account(id: "user:1", now: 145)?.held == 0)
        // The journal's other side lists the payment once too, as the posting it is there.
        let node = try await store.statement(
            account: AccountRecord.node, filter: StatementFilter(kind: .payment), limit: 10, cursor: nil)
        #expect(node.page.items.map(\.paymentHash) == [paying.hex] && node.page.items.first?.at == 140)
    }

    @Test(arguments: StoreEngines.all) func aFailedPaymentIsCountedButMovesNothing(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        try await openAccounts(store)
        let failing = try await begin(store, 7_000, at: 130)
        try await complete(store, failing, fee: nil, at: 131)

        let listed = try await statement(store)
        #expect(listed.page.items.map(\.status) == [.failed, .settled])
        #expect(
            listed.page.items.first
                == StatementLine(
                    entryID: nil, kind: .payment, at: 130, amount: -7_000, counterparty: AccountRecord.node,
                    paymentHash: failing.hex, transferID: nil, fee: nil, label: nil, description: nil,
                    bolt11: "lnbcrt1",
                    status: .failed))
        #expect(listed.totals == totals(100_000, 0, 0, 2))
        let failed = try await statement(store, StatementFilter(status: .failed))
        #expect(failed.page.items.map(\.paymentHash) == [failing.hex] && failed.totals == totals(0, 0, 0, 1))
        #expect(try await store.account(id: "user:1", now: 135).map { ($0.balance, $0.held) } ?? (0, 1) == (100_000, 0))
    }

    @Test(arguments: StoreEngines.all) func filtersCombineWithTheStatus(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        try await openAccounts(store)
        try await transferOut(store, 5_000, at: 110, key: "t1")
        let settled = try await begin(store, 20_000, at: 120)
        try await complete(store, settled, fee: 150, at: 121)
        let failed = try await begin(store, 7_000, at: 130)
        try await complete(store, failed, fee: nil, at: 131)
        // A payment of an invoice of user:2 in this store, in flight: an internal settlement to be.
        let invoice = InvoiceRecord.unpaid(3_000, account: "user:2", description: "lesson", at: 135)
        _ = try await store.createInvoice(invoice)
        let inside = try await begin(store, 3_000, at: 140, hash: invoice.paymentHash)
        let abroad = try await begin(store, 1_000, at: 150)

        let pending = try await statement(store, StatementFilter(status: .pending))
        #expect(pending.page.items.map(\.paymentHash) == [abroad.hex, inside.hex])
        #expect(pending.page.items.map(\.counterparty) == [AccountRecord.node, "user:2"])
        #expect(pending.page.items.last?.description == "lesson")
        #expect(pending.totals == totals(0, 4_000, 0, 2))
        let outBefore145 = try await statement(store, StatementFilter(incoming: false, to: 145))
        #expect(outBefore145.page.items.map(\.paymentHash) == [inside.hex, failed.hex, settled.hex, nil])
        #expect(outBefore145.totals == totals(0, 5_000 + 20_150 + 3_000, 150, 4))
        let settledPayments = try await statement(store, StatementFilter(kind: .payment, status: .settled))
        #expect(settledPayments.page.items.map(\.paymentHash) == [settled.hex])
        #expect(settledPayments.totals == totals(0, 20_150, 150, 1))
        let failedFrom125 = try await statement(store, StatementFilter(kind: .payment, from: 125, status: .failed))
        #expect(failedFrom125.page.items.map(\.paymentHash) == [failed.hex])
        #expect(try await statement(store, StatementFilter(incoming: true, status: .pending)).page.items.isEmpty)
        let transfers = try await statement(store, StatementFilter(kind: .transfer, status: .settled))
        #expect(transfers.page.items.map(\.transferID) == ["tr-t1"] && transfers.totals == totals(0, 5_000, 0, 1))
        #expect(try await statement(store, StatementFilter(kind: .transfer, status: .pending)).totals.count == 0)
    }

    /// Nine lines, five of them payments begun in the same seconds as transfers, read two at a time while some
    /// payments settle or fail and a transfer is written between pages: each line is met once.
    @Test(arguments: StoreEngines.all) func pagingOverMixedStatusesMeetsEachLineOnce(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        try await openAccounts(store)
        try await transferOut(store, 1_000, at: 200, key: "t1")
        var payments: [PaymentHash] = []
        for at: Int64 in [200, 200, 200, 210, 210] { payments.append(try await begin(store, 2_000, at: at)) }
        try await transferOut(store, 1_000, at: 200, key: "t2")
        try await transferOut(store, 1_000, at: 220, key: "t3")
        let everything = try await statement(store)
        #expect(everything.page.items.count == 9 && everything.totals.count == 9)

        var met: [String] = []
        var page = try await statement(store, limit: 2)
        met += page.page.items.map(identity)
        #expect(met.first == "tr-t3" && met.count == 2)
        // Between pages: every payment settles or fails, whether already met or not, and a newer transfer is made.
        for (index, hash) in payments.enumerated() {
            try await complete(store, hash, fee: index.isMultiple(of: 2) ? 10 : nil, at: 230)
        }
        try await transferOut(store, 1_000, at: 240, key: "t4")
        while let cursor = page.page.nextCursor {
            page = try await statement(store, limit: 2, cursor: cursor)
            met += page.page.items.map(identity)
        }
        let expected = everything.page.items.map(identity)
        #expect(met == expected)
        #expect(Set(met).count == 9)
        let after = try await statement(store)
        #expect(after.page.items.count == 10 && after.page.items.filter { $0.status == .pending }.isEmpty)
        #expect(after.page.items.filter { $0.status == .failed }.count == 2)
    }

    /// The page and totals queries of both parts with a cursor and a time range, on `user:1`, and the index each
    /// reads along: a page its part's order (no sort), the totals one index of the account's rows.
    static let probes: [(sql: String, arguments: [StoreValue], index: String)] = StatementSQL.Part.allCases
        .flatMap { part in
            let filter = StatementFilter(from: 0, to: 1_000)
            let cursor = StatementPosition(at: 500, tiebreak: .entry(3)).cursor
            let page = StatementSQL.lineArguments(part, account: "user:1", filter: filter, cursor: cursor, limit: 2)
            let range = StatementSQL.totalsArguments(part, account: "user:1", filter: filter)
            return part == .postings
                ? [(part.lines, page, "postings_account_at"), (part.totals, range, "postings_account_at")]
                : [(part.lines, page, "payments_account_created"), (part.totals, range, "payments_account")]
        }

    @Test func sqliteReadsEachPartAlongItsIndex() async throws {
        defer { directory.remove() }
        let store = try await openStore("sqlite")
        try await openAccounts(store)
        try await store.close()
        let database = try DatabaseQueue(path: directory.file("store.sqlite"))
        for probe in Self.probes {
            let plan = try await database.read { database in
                try Row.fetchAll(
                    database, sql: "EXPLAIN QUERY PLAN " + probe.sql, arguments: SQLiteStore.arguments(probe.arguments)
                )
                .map { $0["detail"] as String }.joined(separator: "; ")
            }
            #expect(plan.contains("USING INDEX \(probe.index)"), "\(plan)")
            #expect(!plan.contains("SCAN") && !plan.contains("TEMP B-TREE"), "\(plan)")
        }
    }

    /// PostgreSQL can read each part along its index (sequential scans are disabled to ask whether it can: on
    /// tables this small it would rather scan), without sorting.
    @Test func postgresCanReadEachPartAlongItsIndex() async throws {
        defer { directory.remove() }
        let store = try await openStore("postgres")
        try await openAccounts(store)
        let postgres = try #require(store.base as? PostgresStore)
        for probe in Self.probes {
            var explained = PostgresStore.query(probe.sql, probe.arguments)
            explained.sql = "EXPLAIN " + explained.sql
            let plan = try await postgres.client.withConnection { connection in
                try await connection.query("BEGIN", logger: postgres.logger)
                try await connection.query("SET LOCAL enable_seqscan = off", logger: postgres.logger)
                let lines = try await connection.rows(explained, postgres.logger).map {
                    try $0.requiredText("QUERY PLAN")
                }
                try await connection.query("COMMIT", logger: postgres.logger)
                return lines.joined(separator: "; ")
            }
            #expect(plan.contains("using \(probe.index)"), "\(plan)")
            #expect(!plan.contains("Sort") && !plan.contains("Seq Scan"), "\(plan)")
        }
    }
}
