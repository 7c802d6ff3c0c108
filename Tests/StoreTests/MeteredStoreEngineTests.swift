import Lightning
import MetricsTestKit
import Store
import TestSupport
import Testing

/// The metered store records every operation's latency and failures under the names docs/metrics.md gives.
@Suite struct MeteredStoreEngineTests {
    let directory = TemporaryDirectory()
    let metrics = TestMetrics()

    func openStore() async throws -> Store {
        try await Store(
            configuration: .init(location: .sqlite(path: directory.file("store.sqlite")), metricsFactory: metrics))
    }

    func invoice(label: String, fingerprint: String) -> InvoiceRecord {
        let preimage = Preimage.random()
        return InvoiceRecord(
            paymentHash: preimage.paymentHash, bolt11: "lnbcrt1...", label: label, amount: MilliSatoshi(1000),
            description: "coffee", descriptionHash: nil, expirySeconds: 3600, status: .open, createdAt: 100,
            expiresAt: 3700, preimage: preimage, metadata: nil, requestFingerprint: fingerprint)
    }

    func latencies(_ operation: String) throws -> Int {
        try metrics.expectTimer("t4gd_store_operation_duration_seconds", [("operation", operation)]).values.count
    }

    func failures(_ operation: String) throws -> Int64 {
        try metrics.expectCounter("t4gd_store_errors_total", [("operation", operation)]).totalValue
    }

    @Test func recordsTheLatencyOfEveryCallByOperation() async throws {
        defer { directory.remove() }
        let store = try await openStore()
        let created = invoice(label: "a", fingerprint: "f")
        _ = try await store.createInvoice(created)
        _ = try await store.invoice(label: "a")
        _ = try await store.invoice(paymentHash: created.paymentHash)
        _ = try await store.events(after: 0, limit: 10)
        try await store.close()
        #expect(try latencies("create_invoice") == 1)
        #expect(try latencies("read_invoice") == 2)
        #expect(try latencies("read_events") == 1)
        #expect(try latencies("close") == 1)
        #expect(throws: (any Error).self) { try failures("create_invoice") }
    }

    @Test func countsFailuresAndReportsOnlyDatabaseFailuresOfWrites() async throws {
        defer { directory.remove() }
        let store = try await openStore()
        _ = try await store.createInvoice(invoice(label: "a", fingerprint: "f"))
        await #expect(throws: StoreError.self) {
            try await store.createInvoice(invoice(label: "a", fingerprint: "other"))
        }
        #expect(try failures("create_invoice") == 1)
        #expect(store.writeFailure == nil, "a label conflict is an answer, not a failing store")
        try await store.close()
        await #expect(throws: StoreError.self) { try await store.advanceCursor("c", to: 1) }
        #expect(try failures("write_cursor") == 1)
        #expect(store.writeFailure?.hasPrefix("write cursor failed: ") == true)
    }
}
