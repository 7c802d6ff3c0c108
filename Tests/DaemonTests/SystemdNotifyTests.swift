import Foundation
import TestSupport
import Testing

/// `Type=notify`: the daemon itself writes READY=1 once its socket serves and STOPPING=1 on shutdown.
@Suite struct SystemdNotifyTests {
    @Test func announcesReadyAndStopping() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("notify")
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let daemon = try await DaemonProcess(environment: ["NOTIFY_SOCKET": path])
        func receive() -> String {
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
        }
        #expect(receive().hasPrefix("READY=1"))
        #expect(await daemon.stop() == 0)
        #expect(receive() == "STOPPING=1")
        daemon.directory.remove()
    }
}
