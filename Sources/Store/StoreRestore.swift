import Foundation

/// Puts a backup in place as the SQLite store of a stopped daemon (`t4gctl restore`).
///
/// Checks the backup (`PRAGMA integrity_check`), holds the data directory's lock (`DATA_DIR/t4gd.lock`) for the
/// whole restore so that no daemon runs on the directory or starts meanwhile, moves an existing store (with its
/// `-wal` and `-shm` files) aside to `STORE.before-restore-TIME`, then copies the backup to a staging file
/// (owner-only, synced) and renames it into place: a crash leaves the old store aside or the new one whole, never
/// a half-copied store.
package struct StoreRestore: Sendable {
    /// The backup file (from `daemon.backup`).
    package var backupPath: String
    /// The store to replace: `DATA_DIR/t4gd.sqlite` or the configured `store.path`.
    package var storePath: String
    /// The data directory whose lock the restore holds.
    package var dataDirectory: String

    /// Describes a restore of `backupPath` into `storePath`, guarded by `dataDirectory`'s lock.
    package init(backupPath: String, storePath: String, dataDirectory: String) {
        self.backupPath = backupPath
        self.storePath = storePath
        self.dataDirectory = dataDirectory
    }

    /// What a finished restore did.
    package struct Outcome: Sendable, Equatable {
        /// What the restored store holds.
        package let summary: StoreCopySummary
        /// Where the store that was there before now is, if there was one.
        package let movedAside: String?
        /// How many bytes were copied.
        package let bytes: Int64
    }

    /// Why a restore did not happen or did not finish; `description` names the path and never a secret.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        /// Whether the restore was refused before anything changed, or failed on the way.
        package enum Code: Sendable, Equatable {
            /// Nothing was changed: the backup is unreadable or damaged, or a daemon holds the data directory.
            case refused
            /// Moving the old store aside or copying the backup failed.
            case failed
        }

        /// The kind of failure.
        package let code: Code
        /// One line for the operator.
        package let description: String
    }

    /// Restores the backup. `now` (Unix seconds) names the moved-aside store; `progress` hears the bytes copied
    /// and the total after each 1 MiB chunk.
    package func run(
        now: Int64 = Int64(Date().timeIntervalSince1970), progress: (Int64, Int64) -> Void = { _, _ in }
    ) throws(Failure) -> Outcome {
        let lock = try lockDataDirectory()
        defer { if let lock { close(lock) } }
        let summary: StoreCopySummary
        do {
            summary = try Store.inspectCopy(at: backupPath)
        } catch {
            throw Failure(code: .refused, description: "\(error)")
        }
        guard summary.integrityOK else {
            throw Failure(code: .refused, description: "\(backupPath) fails PRAGMA integrity_check")
        }
        do {
            let movedAside = try moveAside(now: now)
            let bytes = try copyIntoPlace(progress: progress)
            return Outcome(summary: summary, movedAside: movedAside, bytes: bytes)
        } catch {
            throw Failure(code: .failed, description: "cannot restore \(backupPath) to \(storePath): \(error)")
        }
    }

    /// Holds `DATA_DIR/t4gd.lock` (docs/security.md); `nil` when no daemon has created it yet. Opened read-only
    /// and never created, so the daemon's own user keeps owning the file.
    private func lockDataDirectory() throws(Failure) -> Int32? {
        let path = dataDirectory + "/t4gd.lock"
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw Failure(code: .refused, description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Failure(
                code: .refused,
                description: "a daemon holds the data directory \(dataDirectory) (\(path)): stop it before restoring")
        }
        return descriptor
    }

    /// Moves the store and its `-wal` and `-shm` files to `STORE.before-restore-NOW`; `nil` when there is none.
    private func moveAside(now: Int64) throws -> String? {
        let files = FileManager.default
        guard files.fileExists(atPath: storePath) else { return nil }
        let aside = storePath + ".before-restore-\(now)"
        for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: storePath + suffix) {
            try files.moveItem(atPath: storePath + suffix, toPath: aside + suffix)
        }
        return aside
    }

    /// Copies the backup to `STORE.restoring` in 1 MiB chunks, syncs it and renames it to the store.
    private func copyIntoPlace(progress: (Int64, Int64) -> Void) throws -> Int64 {
        let files = FileManager.default
        try files.createDirectory(
            atPath: URL(fileURLWithPath: storePath).deletingLastPathComponent().path,
            withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let staging = storePath + ".restoring"
        try? files.removeItem(atPath: staging)
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: backupPath))
        defer { try? input.close() }
        guard files.createFile(atPath: staging, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: staging])
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: staging))
        defer { try? output.close() }
        let total = (try? files.attributesOfItem(atPath: backupPath)[.size] as? NSNumber)?.int64Value ?? 0
        var copied: Int64 = 0
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
            copied += Int64(chunk.count)
            progress(copied, total)
        }
        try output.synchronize()
        try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: staging)
        try files.moveItem(atPath: staging, toPath: storePath)
        return copied
    }
}
