#if canImport(Glibc)
    import Glibc
#endif

/// A bare connection to a Unix stream socket, for a test that plays a client which writes and vanishes: it never
/// reads, and ``close()`` drops it as a process that exits would.
public final class UnixStreamSocket {
    private var descriptor: Int32

    /// Connects to the socket at `path`.
    public init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw DaemonProcessError(message: "socket() failed: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8.prefix($0.count - 1)) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close()
            throw DaemonProcessError(message: "connect(\(path)) failed: errno \(code)")
        }
    }

    deinit { close() }

    /// Writes all of `text`.
    public func send(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw DaemonProcessError(message: "write() failed: errno \(errno)") }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Closes the connection (both directions), once.
    public func close() {
        guard descriptor >= 0 else { return }
        _ = Glibc.close(descriptor)
        descriptor = -1
    }
}
