import Foundation
import JSONRPC
import Store
import TestSupport
import Testing

/// `t4gctl backup` while the daemon serves, `t4gctl restore`, and a fresh daemon on the restored store.
@Suite(.serialized) struct BackupRestoreTests {
    /// The payment hashes of invoices whose `invoice.create` was answered.
    actor Acknowledged {
        private(set) var hashes: [String] = []
        func add(_ hash: String) { hashes.append(hash) }
    }

    /// Runs the built `t4gctl`; returns its exit status and stdout.
    func t4gctl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let output = try ProcessOutput.run(
            DaemonProcess.productsDirectory.appendingPathComponent("t4gctl").path, arguments)
        return (output.status, output.stdout)
    }

    func allEvents(_ daemon: DaemonProcess) async throws -> [JSONValue] {
        try await daemon.call("events.list", ["since": 0, "limit": 1000]).arrayValue ?? []
    }

    @Test func anOnlineBackupRestoresEveryRecordAndTheWholeEventLog() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()
            var invoices: [JSONValue] = []
            for index in 0..<4 {
                invoices.append(
                    try await alice.call(
                        "invoice.create", ["amount_msat": .integer(10_000 + Int64(index)), "description": "before"]))
            }
            for invoice in invoices.prefix(2) {
                _ = try await bob.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
            }
            var paymentHashes: [String] = []
            for _ in 0..<2 {
                let invoice = try await bob.call("invoice.create", ["amount_msat": 7_000, "description": "to bob"])
                paymentHashes.append(
                    try await alice.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))]).string(
                        "payment_hash"))
            }
            let proof = try await alice.call(
                "proof.create", ["kind": "purchase", "owner": "account:seller", "fields": ["item": "course"]])
            let buyer = try await bob.call("proof.owner_key", ["owner": "account:buyer"]).string("pubkey")
            let transfer = try await alice.call(
                "proof.transfer",
                [
                    "proof_id": .string(proof.string("proof_id")), "to": .string(buyer),
                    "payment": ["amount_msat": 9_000],
                ])
            _ = try await bob.call("payment.send", ["bolt11": .string(transfer["invoice"]?.string("bolt11") ?? "")])
            try await eventually("the transfer is final") {
                try await allEvents(alice).contains { $0.string("type") == "proof.transferred" }
            }
            let proofBefore = try await alice.call("proof.get", ["proof_id": .string(proof.string("proof_id"))])
            #expect(proofBefore.string("owner") == buyer)

            let acknowledged = Acknowledged()
            let writer = Task {
                let client = try await alice.client()
                var index: Int64 = 0
                while !Task.isCancelled {
                    index += 1
                    let invoice = try await client.call(
                        "invoice.create", params: ["amount_msat": .integer(1_000 + index), "description": "during"])
                    await acknowledged.add(invoice.string("payment_hash"))
                }
                await client.close()
            }
            try await eventually("the writer has 20 invoices acknowledged") { await acknowledged.hashes.count >= 20 }
            let acknowledgedBefore = await acknowledged.hashes
            let eventsBefore = try await allEvents(alice)
            var invoicesBefore: [JSONValue] = []
            for invoice in invoices {
                invoicesBefore.append(
                    try await alice.call("invoice.get", ["payment_hash": .string(invoice.string("payment_hash"))]))
            }
            var paymentsBefore: [JSONValue] = []
            for hash in paymentHashes {
                paymentsBefore.append(try await alice.call("payment.get", ["payment_hash": .string(hash)]))
            }

            let backupPath = alice.directory.file("backups/alice-backup.sqlite")
            let backup = try t4gctl(["backup", "alice-backup.sqlite", "--socket", alice.socketPath, "--json"])
            let duringBackup = await acknowledged.hashes.count
            writer.cancel()
            _ = await writer.result
            #expect(backup.status == 0)
            let result = try JSONValue.parse(Array(backup.output.utf8))
            #expect(result.string("integrity_check") == "ok")
            #expect(result.string("path") == backupPath, "a file name is written in DATA_DIR/backups")
            #expect(duringBackup > acknowledgedBefore.count, "invoices kept being created while the backup ran")

            let summary = try Store.inspectCopy(at: backupPath)
            #expect(summary.integrityOK)
            #expect(summary.lastEventIndex == result.integer("last_event_index"))
            let mode = try FileManager.default.attributesOfItem(atPath: backupPath)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(try t4gctl(["backup", backupPath, "--socket", alice.socketPath]).status == 1, "never overwrites")

            #expect(try t4gctl(["restore", backupPath, "--data-dir", alice.directory.path]).status == 2)
            let elsewhere = alice.directory.file("elsewhere.sock")
            #expect(
                try t4gctl(["restore", backupPath, "--data-dir", alice.directory.path, "--socket", elsewhere]).status
                    == 2, "refused by the data directory's lock, whatever the socket")
            await alice.stop()
            let restoredDirectory = TemporaryDirectory()
            try FileManager.default.copyItem(
                atPath: alice.directory.file("seed"), toPath: restoredDirectory.file("seed"))
            #expect(try t4gctl(["restore", backupPath, "--data-dir", restoredDirectory.path, "--json"]).status == 0)
            let restoredMode =
                try FileManager.default.attributesOfItem(
                    atPath: restoredDirectory.file("t4gd.sqlite"))[.posixPermissions] as? Int
            #expect(restoredMode == 0o600)
            let restored = network.adopt(
                try await DaemonProcess(directory: restoredDirectory, config: network.config()))

            for hash in acknowledgedBefore {
                #expect(
                    try await restored.call("invoice.get", ["payment_hash": .string(hash)]).string("payment_hash")
                        == hash)
            }
            for invoice in invoicesBefore {
                #expect(
                    try await restored.call("invoice.get", ["payment_hash": .string(invoice.string("payment_hash"))])
                        == invoice)
            }
            for payment in paymentsBefore {
                #expect(
                    try await restored.call("payment.get", ["payment_hash": .string(payment.string("payment_hash"))])
                        == payment)
            }
            #expect(
                try await restored.call("proof.get", ["proof_id": .string(proof.string("proof_id"))]) == proofBefore)
            let eventsAfter = try await allEvents(restored)
            #expect(eventsAfter.map { $0.integer("index") } == Array(1...Int64(eventsAfter.count)), "no gap")
            #expect(Int64(eventsAfter.count) == summary.lastEventIndex)
            #expect(Array(eventsAfter.prefix(eventsBefore.count)) == eventsBefore)
            #expect(
                Set(eventsBefore.map { $0.string("type") }).isSuperset(of: [
                    "invoice.paid", "payment.succeeded", "proof.created", "proof.transferred",
                ]))
        }
    }

    @Test func restoreRefusesADamagedBackupAndKeepsTheStore() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let damaged = directory.file("damaged.sqlite")
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: damaged))
        try Data("current".utf8).write(to: URL(fileURLWithPath: directory.file("t4gd.sqlite")))
        #expect(try t4gctl(["restore", damaged, "--data-dir", directory.path]).status == 2)
        #expect(try String(contentsOfFile: directory.file("t4gd.sqlite"), encoding: .utf8) == "current")
    }

    @Test func daemonBackupRefusesBadPaths() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            func reason(_ path: String) async throws -> String? {
                try await alice.error("daemon.backup", ["path": .string(path)])?.reason.name
            }
            #expect(try await reason("sub/relative.sqlite") == "invalid_params")
            #expect(try await reason("..") == "invalid_params")
            #expect(try await reason(alice.directory.file("backups/missing/backup.sqlite")) == "invalid_params")
            #expect(try await alice.error("daemon.backup", [:])?.reason.name == "invalid_params")
            _ = try await alice.call("daemon.backup", ["path": "first.sqlite"])
            #expect(try await reason(alice.directory.file("backups/first.sqlite")) == "invalid_params", "exists")
        }
    }

    /// `daemon.backup` writes only inside `daemon.backup_dir` (default `DATA_DIR/backups`): not over the seed, not
    /// in a directory cron reads, not through a symbolic link that leads out.
    @Test func daemonBackupWritesOnlyInsideTheBackupDirectory() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let backups = alice.directory.file("backups")
            _ = try await alice.call("daemon.backup", ["path": "inside.sqlite"])
            try FileManager.default.createSymbolicLink(
                atPath: backups + "/out", withDestinationPath: network.directory.path)
            for path in [
                alice.directory.file("seed"), alice.directory.file("copy.sqlite"), "/etc/t4g-backup.sqlite",
                network.directory.file("copy.sqlite"), backups + "/out/copy.sqlite", backups + "/../copy.sqlite",
            ] {
                let before = FileManager.default.contents(atPath: path)
                let error = try await alice.error("daemon.backup", ["path": .string(path)])
                #expect(error?.reason.name == "backup_path_refused", "\(path)")
                #expect(error?.data["backup_dir"]?.stringValue == backups, "\(path)")
                #expect(FileManager.default.contents(atPath: path) == before, "\(path) is left as it was")
            }

            let unwritable = try await network.daemon(extra: "[daemon]\nbackup_dir = \"/proc/t4g-backups\"\n")
            let failed = try await unwritable.error("daemon.backup", ["path": "copy.sqlite"])
            #expect(failed?.reason.name == "backup_failed")
        }
    }
}
