import Foundation
import Lightning
import Store
import TestSupport
import Testing

/// `StoreRestore`: what `t4gctl restore` does to a stopped daemon's data directory.
@Suite struct StoreRestoreTests {
    let directory = TemporaryDirectory()

    /// A backup of a store holding one invoice; returns the backup's path and the invoice's payment hash.
    private func backupHoldingAnInvoice() async throws -> (path: String, paymentHash: PaymentHash) {
        let store = try await Store(configuration: .init(path: directory.file("live.sqlite")))
        let preimage = Preimage.random()
        _ = try await store.createInvoice(
            InvoiceRecord(
                paymentHash: preimage.paymentHash, bolt11: "lnbcrt1...", label: "restored", amount: MilliSatoshi(1000),
                description: "coffee", descriptionHash: nil, expirySeconds: 3600, status: .open, createdAt: 100,
                expiresAt: 3700, preimage: preimage, metadata: nil, requestFingerprint: "f"))
        let path = directory.file("backup.sqlite")
        try await store.backup(to: path)
        try await store.close()
        return (path, preimage.paymentHash)
    }

    private func restore(_ backup: String) -> StoreRestore {
        StoreRestore(
            backupPath: backup, storePath: directory.file("data/t4gd.sqlite"), dataDirectory: directory.file("data"))
    }

    @Test func aBackupBecomesTheStoreOfAnEmptyDataDirectoryOwnerOnly() async throws {
        defer { directory.remove() }
        let (backup, paymentHash) = try await backupHoldingAnInvoice()
        var reported: [(Int64, Int64)] = []
        let outcome = try restore(backup).run(now: 1_700_000_000) { reported.append(($0, $1)) }
        let size = try #require(FileManager.default.attributesOfItem(atPath: backup)[.size] as? NSNumber).int64Value
        #expect(outcome.movedAside == nil)
        #expect(outcome.bytes == size)
        #expect(outcome.summary.integrityOK)
        #expect(outcome.summary.migrations == StoreSchema.versions)
        #expect(reported.last.map { [$0.0, $0.1] } == [size, size])
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("data/t4gd.sqlite"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(!FileManager.default.fileExists(atPath: directory.file("data/t4gd.sqlite.restoring")))
        let restored = try await Store(configuration: .init(path: directory.file("data/t4gd.sqlite")))
        #expect(try await restored.invoice(paymentHash: paymentHash)?.label == "restored")
        try await restored.close()
    }

    @Test func anExistingStoreAndItsWALAreMovedAsideNamedByTheTime() async throws {
        defer { directory.remove() }
        let (backup, _) = try await backupHoldingAnInvoice()
        try FileManager.default.createDirectory(atPath: directory.file("data"), withIntermediateDirectories: true)
        for (suffix, text) in [("", "old store"), ("-wal", "old wal"), ("-shm", "old shm")] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory.file("data/t4gd.sqlite" + suffix)))
        }
        let outcome = try restore(backup).run(now: 1_700_000_000)
        let aside = directory.file("data/t4gd.sqlite.before-restore-1700000000")
        #expect(outcome.movedAside == aside)
        for (suffix, text) in [("", "old store"), ("-wal", "old wal"), ("-shm", "old shm")] {
            #expect(FileManager.default.contents(atPath: aside + suffix) == Data(text.utf8))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("data/t4gd.sqlite-wal")))
        #expect(try Store.inspectCopy(at: directory.file("data/t4gd.sqlite")).integrityOK)
    }

    @Test func aFileThatIsNotAStoreIsRefusedAndNothingMoves() throws {
        defer { directory.remove() }
        let backup = directory.file("backup.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: backup))
        try FileManager.default.createDirectory(atPath: directory.file("data"), withIntermediateDirectories: true)
        try Data("old store".utf8).write(to: URL(fileURLWithPath: directory.file("data/t4gd.sqlite")))
        let failure = #expect(throws: StoreRestore.Failure.self) { try restore(backup).run() }
        #expect(failure?.code == .refused)
        #expect(FileManager.default.contents(atPath: directory.file("data/t4gd.sqlite")) == Data("old store".utf8))
    }

    @Test func aDataDirectoryWhoseLockIsHeldIsRefused() async throws {
        defer { directory.remove() }
        let (backup, _) = try await backupHoldingAnInvoice()
        try FileManager.default.createDirectory(atPath: directory.file("data"), withIntermediateDirectories: true)
        let lock = open(directory.file("data/t4gd.lock"), O_RDWR | O_CREAT, 0o600)
        defer { close(lock) }
        #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
        let failure = #expect(throws: StoreRestore.Failure.self) { try restore(backup).run() }
        #expect(failure?.code == .refused)
        #expect(failure?.description.contains("a daemon holds the data directory") == true)
        #expect(!FileManager.default.fileExists(atPath: directory.file("data/t4gd.sqlite")))
    }
}
