import RPCWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Unix socket's file: checks before binding, permissions after, removal at shutdown.
///
/// A stale socket (nothing accepts on it) is replaced; a live one is never stolen; a path that
/// holds anything but a socket is refused. Removal only unlinks the file this server created.
struct SocketFile {
    let path: String
    private var identity: (device: UInt64, inode: UInt64)?

    init(path: String) {
        self.path = path
    }

    /// Makes the path ready for `bind`: validates it and removes a stale socket.
    func prepare() throws(RPCServerError) {
        let maxPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1
        guard !path.isEmpty, path.utf8.count <= maxPathBytes else {
            throw RPCServerError(.invalidSocketPath, "socket path must be 1 to \(maxPathBytes) bytes: \(path)")
        }
        let directory = Self.directory(of: path)
        guard let directoryStatus = Self.status(of: directory, followingLinks: true),
            directoryStatus.st_mode & S_IFMT == S_IFDIR
        else {
            throw RPCServerError(.invalidSocketPath, "directory \(directory) of socket path \(path) does not exist")
        }
        guard let existing = Self.status(of: path) else { return }
        guard existing.st_mode & S_IFMT == S_IFSOCK else {
            throw RPCServerError(.invalidSocketPath, "\(path) exists and is not a socket; refusing to replace it")
        }
        switch probe() {
        case .listening:
            throw RPCServerError(.socketInUse, "another process is listening on \(path)")
        case .stale:
            guard unlink(path) == 0 || errno == ENOENT else {
                throw RPCServerError(.socketSetupFailed, "cannot remove stale socket \(path): \(Self.errnoText())")
            }
        case .unknown(let detail):
            throw RPCServerError(.socketSetupFailed, "cannot tell whether \(path) is in use: \(detail)")
        }
    }

    /// Applies the configured mode and group to the freshly bound socket and remembers its identity.
    mutating func claim(permissions: UInt32, groupID: UInt32?) throws(RPCServerError) {
        guard chmod(path, mode_t(permissions)) == 0 else {
            throw RPCServerError(.socketSetupFailed, "cannot chmod \(path): \(Self.errnoText())")
        }
        if let groupID, chown(path, uid_t.max, gid_t(groupID)) != 0 {
            throw RPCServerError(.socketSetupFailed, "cannot chown \(path) to group \(groupID): \(Self.errnoText())")
        }
        identity = Self.status(of: path).map { (UInt64($0.st_dev), UInt64($0.st_ino)) }
    }

    /// Unlinks the socket if it is still the one this server bound (not a successor's).
    func remove() {
        guard let identity, let current = Self.status(of: path),
            UInt64(current.st_dev) == identity.device, UInt64(current.st_ino) == identity.inode
        else { return }
        unlink(path)
    }

    private enum ProbeResult {
        case listening
        case stale
        case unknown(String)
    }

    /// Connects to the socket without blocking: refused means stale, anything that reaches a listener means live.
    private func probe() -> ProbeResult {
        #if os(Linux)
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        #else
            let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return .unknown("socket(): \(Self.errnoText())") }
        defer { close(descriptor) }
        #if !os(Linux)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        #endif
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { pathBytes in
            pathBytes.copyBytes(from: path.utf8)
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result == 0 {
            return .listening
        }
        switch errno {
        case ECONNREFUSED, ENOENT:
            return .stale
        case EAGAIN, EINPROGRESS:
            return .listening
        default:
            return .unknown(Self.errnoText())
        }
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func status(of path: String, followingLinks: Bool = false) -> stat? {
        var status = stat()
        let result = followingLinks ? stat(path, &status) : lstat(path, &status)
        return result == 0 ? status : nil
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
