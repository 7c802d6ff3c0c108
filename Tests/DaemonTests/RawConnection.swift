import Foundation
import TestSupport

/// A plain blocking Unix-socket connection for tests that must send bytes no well-behaved client would.
final class RawConnection {
    private let descriptor: Int32

    /// Connects to `socketPath`; reads wait at most `timeout` seconds.
    init(_ socketPath: String, timeout: Int = 10) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
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
            close(descriptor)
            throw DaemonProcessError(message: "connect to \(socketPath) failed: errno \(errno)")
        }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Sends all of `bytes`; returns how many went out before the peer closed or a timeout.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Int {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Foundation.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { break }
            offset += sent
        }
        return offset
    }

    /// Reads until a newline, the peer closes, or the read times out; `nil` when nothing arrived.
    func readLine() -> String? {
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
    func isClosedByPeer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    /// Sends `bytes` on a fresh connection and reads one reply line (nil when the daemon closes first).
    static func exchange(_ socketPath: String, _ bytes: [UInt8]) throws -> String? {
        let connection = try RawConnection(socketPath)
        connection.send(bytes)
        return connection.readLine()
    }
}
