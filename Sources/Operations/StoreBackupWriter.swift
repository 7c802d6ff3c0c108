import Foundation
import NIOPosix
import Store
import Wallet

/// Writes `daemon.backup` copies: places the path inside the backup directory, claims it (owner-only, never
/// overwriting), copies the store online on a thread of its own, then checks the copy with SQLite.
package struct StoreBackupWriter: Sendable {
    let store: Store
    /// `daemon.backup_dir`: the only directory copies are written in (created `0700` when missing).
    let directory: String

    /// Creates a writer of copies of `store` into `directory`.
    package init(store: Store, directory: String) {
        self.store = store
        self.directory = directory
    }

    /// What a finished backup reports.
    package struct Outcome: Sendable {
        package let path: String
        package let sizeBytes: Int64
        package let summary: StoreCopySummary
        package let duration: Duration
    }

    /// Copies the store to `path`: a file name (taken inside the backup directory) or an absolute path whose
    /// directory, symbolic links resolved, is the backup directory or below it; the file must not exist.
    ///
    /// - Throws: `invalid_params` for a path that is neither, names no file, or whose directory does not exist;
    ///   `backup_path_refused` for a path outside the backup directory; `backup_failed` when the copy cannot be
    ///   written or does not pass `PRAGMA integrity_check` (the partial file is removed).
    package func write(to path: String) async throws -> Outcome {
        let target = try place(path)
        let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { throw DaemonError.invalidParams("'path' already exists") }
            throw DaemonError("backup_failed", "cannot create \(target): \(String(cString: strerror(code)))")
        }
        close(descriptor)
        let start = ContinuousClock.now
        do {
            try await store.backup(to: target)
            let summary = try await NIOThreadPool.singleton.runIfActive { try Store.inspectCopy(at: target) }
            guard summary.integrityOK else {
                throw DaemonError("backup_failed", "the copy at \(target) fails PRAGMA integrity_check")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? NSNumber)?.int64Value ?? 0
            return Outcome(path: target, sizeBytes: size, summary: summary, duration: ContinuousClock.now - start)
        } catch {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(target + suffix) }
            if let error = error as? DaemonError { throw error }
            throw DaemonError("backup_failed", "cannot write the backup: \(error)")
        }
    }

    /// The file to write for `path`: in the backup directory's real location, or refused.
    private func place(_ path: String) throws -> String {
        guard path.hasPrefix("/") || !path.contains("/") else {
            throw DaemonError.invalidParams("'path' must be an absolute path or a file name")
        }
        let url = URL(fileURLWithPath: path.hasPrefix("/") ? path : directory + "/" + path)
        let name = url.lastPathComponent
        guard !path.hasSuffix("/"), !["", ".", "..", "/"].contains(name) else {
            throw DaemonError.invalidParams("'path' must name a file")
        }
        let backupDirectory = try createdBackupDirectory()
        guard let parent = Self.realPath(url.deletingLastPathComponent().path) else {
            throw DaemonError.invalidParams("the directory of 'path' does not exist")
        }
        guard parent == backupDirectory || parent.hasPrefix(backupDirectory + "/") else {
            throw DaemonError(
                "backup_path_refused", "'path' is outside the backup directory \(directory)",
                data: ["backup_dir": .string(directory)])
        }
        return parent + "/" + name
    }

    /// The backup directory's real path, creating it owner-only when it is missing.
    private func createdBackupDirectory() throws -> String {
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            let reason = String(cString: strerror(errno))
            throw DaemonError("backup_failed", "cannot create the backup directory \(directory): \(reason)")
        }
        guard let resolved = Self.realPath(directory) else {
            throw DaemonError("backup_failed", "cannot resolve the backup directory \(directory)")
        }
        return resolved
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
