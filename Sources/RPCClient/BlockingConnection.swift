import RPCWire

#if canImport(Glibc)
    import Glibc
#endif

/// A plain blocking connection to a Unix socket, for a caller on a thread of its own: a probe that must not
/// queue behind the tasks it measures, or a test that sends bytes no well-behaved client would.
public final class BlockingConnection {
    private let descriptor: Int32

    /// Connects to `socketPath`; sends and reads wait at most `timeoutSeconds`.
    public init(_ socketPath: String, timeoutSeconds: Int = 10) throws(RPCServerError) {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RPCServerError(.connectFailed, "socket() failed: errno \(errno)") }
        var address = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard socketPath.utf8.count < capacity else {
            close(descriptor)
            throw RPCServerError(.invalidSocketPath, "\(socketPath) is longer than \(capacity - 1) bytes")
        }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in socketPath.utf8.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let error = errno
            close(descriptor)
            throw RPCServerError(.connectFailed, "connect to \(socketPath) failed: errno \(error)")
        }
        var time = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Sends all of `bytes`; returns how many went out before the peer closed or a timeout.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Int {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { break }
            offset += sent
        }
        return offset
    }

    /// Reads until a newline, the peer closes, or the read times out; `nil` when nothing arrived.
    public func readLine() -> String? {
        var reply = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !reply.contains(UInt8(ascii: "\n")) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply += buffer[0..<count]
        }
        return reply.isEmpty ? nil : String(decoding: reply, as: UTF8.self)
    }

    /// Whether the peer closed the connection (a read returns end-of-file) within the read timeout.
    public func isClosedByPeer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    /// Sends `bytes` on a fresh connection and reads one reply line (`nil` when the peer closes first).
    public static func exchange(_ socketPath: String, _ bytes: [UInt8]) throws(RPCServerError) -> String? {
        let connection = try BlockingConnection(socketPath)
        connection.send(bytes)
        return connection.readLine()
    }
}
