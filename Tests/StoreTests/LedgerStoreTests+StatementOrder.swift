import GRDB
import Lightning
import Store
import Testing

extension LedgerStoreTests {
    @Test func migrationV14ListsEveryPaymentOfAnOldStoreOnceInTheTreasuryStatement() async throws {
        defer { directory.remove() }
        let hashes = (0..<4).map { _ in Preimage.random().paymentHash.hex }
        let store = try await storeWithHistoryBeforeV9(thenUpTo: "v13_spend_buckets") { database in
            try Self.insertPaidInvoice(hashes[0], in: database)
            try database.execute(
                sql: """
                    INSERT INTO payments (payment_hash, bolt11, status, amount_msat, max_fee_msat, fee_msat, preimage,
                        failure_reason, created_at)
                    VALUES (?, 'x', 'succeeded', 20000, 100, 30, ?, NULL, 3),
                        (?, 'x', 'pending', 4000, 50, NULL, NULL, NULL, 4),
                        (?, 'x', 'failed', 1000, 10, NULL, NULL, 'no_route', 5)
                    """, arguments: [hashes[1], Preimage.random().hex, hashes[2], hashes[3]])
        }
        #expect(try await store.appliedMigrations() == StoreSchema.versions)
        let statement = try await store.statement(
            account: AccountRecord.treasury, filter: StatementFilter(), limit: 10, cursor: nil)
        // The payment that succeeded before v9 is inside the opening entry (dated at the migration, the newest);
        // the others are listed by status.
        #expect(statement.page.items.map(\.paymentHash) == [nil, hashes[3], hashes[2]])
        #expect(statement.page.items.map(\.status) == [.settled, .failed, .pending])
        #expect(statement.page.items.map(\.amount) == [29_970, -1_000, -4_000])
        #expect(statement.page.items.first?.kind == .opening)
        #expect(
            statement.totals
                == WalletTotals(
                    incoming: MilliSatoshi(29_970), outgoing: MilliSatoshi(4_000), fees: .zero, count: 3))
    }
}
