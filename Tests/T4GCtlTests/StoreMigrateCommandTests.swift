import Foundation
import Lightning
import Store
import TestSupport
import Testing

/// `t4gctl store migrate`, run as the executable.
@Suite struct StoreMigrateCommandTests {
    let directory = TemporaryDirectory()

    @Test func copiesASQLiteStoreIntoPostgresAndBackAndRefusesAFilledTarget() async throws {
        defer { directory.remove() }
        let source = "sqlite:" + directory.file("source.sqlite")
        let store = try await Store(configuration: .init(location: try StoreLocation(url: source)))
        let preimage = Preimage.random()
        _ = try await store.createInvoice(
            InvoiceRecord(
                paymentHash: preimage.paymentHash, bolt11: "lnbcrt1", label: nil, amount: MilliSatoshi(1000),
                description: "migrated", descriptionHash: nil, expirySeconds: 3600, status: .open, createdAt: 1,
                expiresAt: 3601, preimage: preimage, metadata: nil, requestFingerprint: "f"))
        try await store.close()
        let postgres = try await PostgresServer.shared.database()
        let there = try await blocking { try runT4GCtl(["store", "migrate", "--from", source, "--to", postgres]) }
        let output = String(decoding: there.stdout, as: UTF8.self)
        #expect(there.status == 0)
        #expect(output.contains("invoices: 1 rows, checksum"))
        let lines = output.split(separator: "\n")
        #expect(lines.count == StoreSchema.tables.count + 1)
        #expect(lines.last?.hasPrefix("copied and verified \(StoreSchema.tables.count) tables, ") == true)
        let back = "sqlite:" + directory.file("back.sqlite")
        let returned = try await blocking { try runT4GCtl(["store", "migrate", "--from", postgres, "--to", back]) }
        #expect(returned.status == 0)
        #expect(
            String(decoding: returned.stdout, as: UTF8.self).split(separator: "\n").dropLast() == lines.dropLast(),
            "the same tables, rows and checksums back")
        let refused = try await blocking { try runT4GCtl(["store", "migrate", "--from", source, "--to", postgres]) }
        let error = String(decoding: refused.stderr, as: UTF8.self)
        #expect(refused.status == 1)
        #expect(error.contains("not empty"))
        let password = postgres.split(separator: ":")[2].split(separator: "@")[0]
        #expect(!error.contains(password))
    }
}
