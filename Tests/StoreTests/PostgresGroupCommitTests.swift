import Lightning
import PostgresNIO
import Store
import TestSupport
import Testing

@testable import PostgresStore

/// Group commit on PostgreSQL: concurrent writes of one instance share transactions, each answered once
/// committed, each failing alone.
@Suite struct PostgresGroupCommitTests {
    let directory = TemporaryDirectory()

    func invoice(label: String, expirySeconds: Int64 = 3600, fingerprint: String = "first") -> InvoiceRecord {
        let preimage = Preimage.random()
        return InvoiceRecord(
            paymentHash: preimage.paymentHash, bolt11: "lnbcrt1", label: label, amount: MilliSatoshi(1000),
            description: "coffee", descriptionHash: nil, expirySeconds: expirySeconds, status: .open, createdAt: 100,
            expiresAt: 100 + expirySeconds, preimage: preimage, metadata: nil, requestFingerprint: fingerprint)
    }

    @Test func concurrentWritesShareTransactionsAndFailAlone() async throws {
        defer { directory.remove() }
        let store = try await Store(
            configuration: .init(
                location: try StoreLocation(url: try await StoreEngines.url("postgres", in: directory)),
                instance: "group"))
        let postgres = try #require(store.base as? PostgresStore)
        let events = 64
        let invoices = 40
        // Every fifth invoice breaks a constraint of the schema (expiry_s > 0): it fails inside a batch that also
        // holds good writes.
        let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for at in 0..<events {
                group.addTask {
                    _ = try await store.appendEvent(NewEvent(type: "test", at: Int64(at), data: "{}"))
                    return ("event", true)
                }
            }
            for number in 0..<invoices {
                group.addTask {
                    let record = invoice(label: "label-\(number)", expirySeconds: number % 5 == 4 ? 0 : 3600)
                    do {
                        _ = try await store.createInvoice(record)
                        return ("invoice-\(number)", true)
                    } catch {
                        return ("invoice-\(number)", false)
                    }
                }
            }
            return try await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        for number in 0..<invoices {
            #expect(outcomes["invoice-\(number)"] == (number % 5 != 4), "invoice \(number)")
            let stored = try await store.invoice(label: "label-\(number)")
            #expect((stored != nil) == (number % 5 != 4), "invoice \(number)")
        }
        #expect(try await store.lastEventIndex() == Int64(events))
        // The events' outbox rows record their top-level transaction: fewer transactions than writes.
        let transactions = try await postgres.client.withConnection { connection in
            try await connection.rows("SELECT count(DISTINCT xid::text) AS n FROM event_outbox", postgres.logger)
                .first?.integer("n")
        }
        let shared = try #require(transactions)
        #expect(shared < Int64(events), "\(shared) transactions for \(events) events")
        await #expect(throws: StoreError(.labelConflict, "label is used by an invoice with other parameters")) {
            _ = try await store.createInvoice(invoice(label: "label-0", fingerprint: "second"))
        }
    }
}
