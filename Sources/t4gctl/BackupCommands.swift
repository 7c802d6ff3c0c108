import ArgumentParser
import Foundation
import JSONRPC
import RPCClient
import Store

/// `t4gctl backup PATH`: a consistent copy of the store, written by the daemon while it serves.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the daemon's store to PATH while it serves (daemon.backup, admin role).",
        discussion: """
            PATH is a file name, written in the daemon's backup directory (daemon.backup_dir, default \
            DATA_DIR/backups), or a path inside that directory on the daemon's file system (a relative PATH \
            with a slash is taken from this shell's directory); it must not exist. The copy is owner-only \
            (0600) and checked with PRAGMA integrity_check. Back up the data directory's seed file \
            separately, once: it never changes.
            """)
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Where to write the copy: a file name in the backup directory, or a path inside it.")
    var path: String

    func run() async throws {
        let sent = path.contains("/") ? URL(fileURLWithPath: path).standardizedFileURL.path : path
        let progress = ProgressLine.onStandardError(wanted: !connection.json)
        // A bare file name lands in the daemon's backup directory, which this shell may not see: no progress.
        let watched = path.contains("/") ? sent : nil
        let watcher = progress.enabled ? watched.map { file in Task { await Self.watch(file, on: progress) } } : nil
        let result = try await connection.call("daemon.backup", ["path": .string(sent)], progress: progress)
        watcher?.cancel()
        connection.print(result)
        if !connection.json, let written = result["path"]?.stringValue, let size = result["size_bytes"]?.int64Value {
            print("wrote " + ByteText.format(bytes: size) + " to " + TerminalText.escaped(written))
        }
    }

    /// Shows the bytes written so far while the daemon writes the copy (when it is on this file system).
    private static func watch(_ path: String, on progress: ProgressLine) async {
        while !Task.isCancelled {
            let written = ByteText.size(of: path).map { ByteText.format(bytes: $0) } ?? "starting"
            progress.show("writing the backup: " + written)
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}

/// `t4gctl restore BACKUP --data-dir DIR`: puts a backup in place as a stopped daemon's store.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup in place as the store of a stopped daemon.",
        discussion: """
            Checks the backup (PRAGMA integrity_check), refuses while a daemon answers on the socket or holds \
            the data directory's lock (then holds it itself until done), moves an \
            existing store (with its -wal and -shm files) aside to STORE.before-restore-TIME, and copies the \
            backup in as the store (mode 0600). Start t4gd afterwards; it reconciles pending payments and \
            catches up on invoices paid since the backup. Exit code 2 when the restore is refused.
            """)
    @Argument(help: "The backup file (from t4gctl backup).") var backup: String
    @Option(name: .customLong("data-dir"), help: "The daemon's data directory.") var dataDir = "./data"
    @Option(help: "The store path, when store.path is set (default: DATA_DIR/t4gd.sqlite).") var store: String?
    @Option(help: "The daemon's socket (default: DATA_DIR/t4gd.sock).") var socket: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let target = store ?? dataDir + "/t4gd.sqlite"
        let socketPath = socket ?? dataDir + "/t4gd.sock"
        if let client = try? await RPCClient.connect(unixDomainSocketPath: socketPath) {
            await client.close()
            throw refusal("a daemon is serving on \(socketPath): stop it before restoring")
        }
        let progress = ProgressLine.onStandardError(wanted: !json)
        let outcome: StoreRestore.Outcome
        do {
            outcome = try StoreRestore(backupPath: backup, storePath: target, dataDirectory: dataDir).run {
                copied, total in
                progress.show("restoring: \(ByteText.format(bytes: copied)) of \(ByteText.format(bytes: total))")
            }
        } catch {
            progress.stop()
            guard error.code == .refused else { throw error }
            throw refusal(error.description)
        }
        progress.stop()
        let result: JSONValue = [
            "store": .string(target), "last_event_index": .integer(outcome.summary.lastEventIndex),
            "moved_aside": outcome.movedAside.map(JSONValue.string) ?? .null,
            "seed_present": .bool(FileManager.default.fileExists(atPath: dataDir + "/seed")),
        ]
        if json {
            print(String(decoding: result.serialized(), as: UTF8.self))
        } else {
            HumanOutput.forStandardOutput().print(result)
            print("restored " + ByteText.format(bytes: outcome.bytes) + " from " + TerminalText.escaped(backup))
        }
    }

    private func refusal(_ message: String) -> ExitCode {
        CommandOutput.printError(reason: "restore_refused", message: message, asJSON: json)
        return ExitCode(ExitCodes.invalidInput)
    }
}
