import DaemonConfig
import Foundation

/// The data directory, claimed by one daemon for its whole life (docs/security.md, "Files").
///
/// ``claim(_:)`` makes every file the daemon creates owner-only whatever the caller's umask (umask 077: store,
/// `-wal`, `-shm`, dev ledger, instance, lock, backups), creates the directory `0700` (`0710` with group
/// `rpc.socket_group` when that group must reach the default socket inside it), refuses a directory or data file
/// that other users can read, and takes an exclusive `flock` on `DATA_DIR/t4gd.lock` that the process holds until
/// it ends: a second daemon on the same directory is refused.
package final class DataDirectory: Sendable {
    /// The lock file's descriptor, open (and locked) until this value is released.
    private let lockDescriptor: Int32

    private init(lockDescriptor: Int32) {
        self.lockDescriptor = lockDescriptor
    }

    deinit {
        close(lockDescriptor)
    }

    /// The files of a data directory that hold money state; none may be readable by others (the seed checks itself).
    static let dataFileNames = [
        "instance", "t4gd.sqlite", "t4gd.sqlite-wal", "t4gd.sqlite-shm", "t4gd.sqlite-journal",
        "dev-ledger.sqlite", "dev-ledger.sqlite-wal", "dev-ledger.sqlite-shm", "dev-ledger.sqlite-journal",
    ]

    /// Creates (if needed), checks and locks the data directory of `configuration`.
    package static func claim(_ configuration: DaemonConfiguration) throws(StartRefusal) -> DataDirectory {
        umask(0o077)
        let path = configuration.dataDirectory
        try create(path, configuration: configuration)
        try checkDirectory(path, configuration: configuration)
        try checkFiles(configuration)
        return DataDirectory(lockDescriptor: try lock(path))
    }

    private static func create(_ path: String, configuration: DaemonConfiguration) throws(StartRefusal) {
        var status = stat()
        guard stat(path, &status) != 0 else { return }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(
            atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        guard mkdir(path, 0o700) == 0 else {
            throw StartRefusal.cannotWrite("the data directory", path, errno: errno)
        }
        if let group = socketGroupInside(configuration) {
            guard chown(path, uid_t.max, gid_t(group)) == 0, chmod(path, 0o710) == 0 else {
                throw StartRefusal("cannot give the data directory \(path) to group \(group): \(errnoText())")
            }
        }
    }

    /// The socket group, when the socket lives directly in the data directory (its members must traverse it).
    private static func socketGroupInside(_ configuration: DaemonConfiguration) -> UInt32? {
        guard let group = configuration.rpc.socketGroup else { return nil }
        let socketDirectory = URL(fileURLWithPath: configuration.resolvedSocketPath).deletingLastPathComponent()
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory)
        return socketDirectory.standardizedFileURL.path == dataDirectory.standardizedFileURL.path ? group : nil
    }

    /// Others get nothing; the group may traverse and list only when it is the socket group, and never write.
    private static func checkDirectory(_ path: String, configuration: DaemonConfiguration) throws(StartRefusal) {
        var status = stat()
        guard stat(path, &status) == 0 else { throw StartRefusal("cannot read the data directory \(path)") }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw StartRefusal("the data directory \(path) is not a directory")
        }
        let groupMayEnter = configuration.rpc.socketGroup == UInt32(status.st_gid)
        let forbidden: mode_t = groupMayEnter ? 0o027 : 0o077
        guard status.st_mode & forbidden == 0 else {
            let fix = groupMayEnter ? "chmod 750" : "chmod 700"
            throw StartRefusal(
                "the data directory \(path) is open to other users (mode \(StartRefusal.octal(status.st_mode)));"
                    + " run \(fix) \(path)")
        }
    }

    /// Refuses when any existing data file (in the directory, or the configured store and dev ledger) is open to
    /// group or others, naming them all in one fix.
    private static func checkFiles(_ configuration: DaemonConfiguration) throws(StartRefusal) {
        var paths = dataFileNames.map { configuration.dataDirectory + "/" + $0 }
        if case .sqlite(let store) = configuration.resolvedStoreLocation {
            paths += ["", "-wal", "-shm", "-journal"].map { store + $0 }
        }
        if configuration.backend == .dev {
            paths += ["", "-wal", "-shm", "-journal"].map { configuration.resolvedDevLedgerPath + $0 }
        }
        var seen = Set<String>()
        var open: [(path: String, mode: mode_t)] = []
        for path in paths where seen.insert(path).inserted {
            var status = stat()
            if stat(path, &status) == 0, status.st_mode & 0o077 != 0 { open.append((path, status.st_mode)) }
        }
        guard !open.isEmpty else { return }
        let names = open.map(\.path).joined(separator: " ")
        let modes = open.map { "\($0.path) \(StartRefusal.octal($0.mode))" }.joined(separator: ", ")
        throw StartRefusal("data files are readable by other users (\(modes)); run chmod 600 \(names)")
    }

    /// Opens `DATA_DIR/t4gd.lock` and takes its exclusive lock, writing this process's id into it.
    private static func lock(_ directory: String) throws(StartRefusal) -> Int32 {
        let path = directory + "/t4gd.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            throw code == EROFS
                ? .cannotWrite("the data directory", directory, errno: code)
                : .cannotWrite("the lock file", path, errno: code)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw StartRefusal("cannot lock \(path): \(String(cString: strerror(code)))")
            }
            let who = Int32(holder).map { "another t4gd (pid \($0))" } ?? "another t4gd"
            throw StartRefusal(
                "\(who) is using the data directory \(directory); stop it, or give this daemon its own --data-dir")
        }
        let pid = Array("\(getpid())\n".utf8)
        guard ftruncate(descriptor, 0) == 0, pwrite(descriptor, pid, pid.count, 0) == pid.count else {
            let code = errno
            close(descriptor)
            throw StartRefusal.cannotWrite("the lock file", path, errno: code)
        }
        return descriptor
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
