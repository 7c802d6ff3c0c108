import GRDB
import Lightning
import Store
import TestSupport
import Testing

/// `ledger.audit`'s findings on SQLite, whose sums per account scan the postings table rather than an index
/// (LedgerAuditSQL.mismatchedAccountsSQLite): a balance that differs from its postings, and an entry whose
/// postings do not sum to zero, each named exactly.
@Suite struct LedgerAuditTests {
    let directory = TemporaryDirectory()

    @Test func theAuditNamesAMismatchedBalanceAndThenAnUnbalancedEntry() async throws {
        defer { directory.remove() }
        let path = directory.file("audited.sqlite")
        let store = try await Store(configuration: .init(path: path))
        for id in ["user:1", "user:2"] {
            _ = try await store.createAccount(
                AccountRecord(
                    id: id, name: nil, metadata: nil, limits: AccountLimits(), createdAt: 1, requestFingerprint: id))
        }
        #expect(try await store.ledgerAudit().isClean)
        let tamper = try DatabaseQueue(path: path)
        try await tamper.write { try $0.execute(sql: "UPDATE balances SET balance_msat = 5 WHERE account = 'user:1'") }
        let mismatched = try await store.ledgerAudit()
        #expect(mismatched.mismatchedAccounts == ["user:1"] && mismatched.unbalancedEntries.isEmpty)

        let entry = try await tamper.write { database in
            try database.execute(sql: "INSERT INTO ledger_entries (kind, at) VALUES ('adjustment', 2)")
            let id = database.lastInsertedRowID
            try database.execute(
                sql: "INSERT INTO postings (entry_id, account, amount_msat, at) VALUES (?, 'user:1', 5, 2)",
                arguments: [id])
            return id
        }
        let unbalanced = try await store.ledgerAudit()
        #expect(unbalanced.unbalancedEntries == [entry] && unbalanced.mismatchedAccounts.isEmpty)
        #expect(!unbalanced.isClean)
        try tamper.close()
    }
}
