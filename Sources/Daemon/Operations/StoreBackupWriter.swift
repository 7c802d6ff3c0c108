import Foundation
import NIOPosix
import Store

/// Writes `daemon.backup` copies: checks the path, claims it (owner-only, never overwriting), copies the store
/// online on a thread of its own, then checks the copy with SQLite.
struct StoreBackupWriter: Sendable {
    let store: Store

    /// What a finished backup reports.
    struct Outcome: Sendable {
        let path: String
        let sizeBytes: Int64
        let summary: StoreCopySummary
        let duration: Duration
    }

    /// Copies the store to `path`: absolute, not existing, in an existing directory.
    ///
    /// - Throws: `invalid_params` for a path that breaks those rules; `backup_failed` when the copy cannot be
    ///   written or does not pass `PRAGMA integrity_check` (the partial file is removed).
    func write(to path: String) async throws -> Outcome {
        guard path.hasPrefix("/") else { throw DaemonError.invalidParams("'path' must be an absolute path") }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DaemonError.invalidParams("the directory of 'path' does not exist")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { throw DaemonError.invalidParams("'path' already exists") }
            throw DaemonError("backup_failed", "cannot create \(path): \(String(cString: strerror(code)))")
        }
        close(descriptor)
        let start = ContinuousClock.now
        do {
            try await store.backup(to: path)
            let summary = try await NIOThreadPool.singleton.runIfActive { try Store.inspectCopy(at: path) }
            guard summary.integrityOK else {
                throw DaemonError("backup_failed", "the copy at \(path) fails PRAGMA integrity_check")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            return Outcome(path: path, sizeBytes: size, summary: summary, duration: ContinuousClock.now - start)
        } catch {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
            if let error = error as? DaemonError { throw error }
            throw DaemonError("backup_failed", "cannot write the backup: \(error)")
        }
    }
}
