import Foundation
import ServiceLifecycle

/// Tells systemd (`Type=notify`) that t4gd is ready, stopping, and alive, by datagrams to `$NOTIFY_SOCKET`.
/// Does nothing when the variable is unset (not started by systemd).
package struct SystemdNotifier: Service {
    let socketPath: String?
    /// Half of `$WATCHDOG_USEC`, when systemd asks for watchdog pings.
    let watchdogInterval: Duration?
    /// Returns once the RPC socket accepts connections.
    let waitUntilReady: @Sendable () async throws -> Void

    package init(environment: [String: String], waitUntilReady: @escaping @Sendable () async throws -> Void) {
        socketPath = environment["NOTIFY_SOCKET"]
        watchdogInterval = environment["WATCHDOG_USEC"].flatMap(Int64.init).map { .microseconds($0 / 2) }
        self.waitUntilReady = waitUntilReady
    }

    package func run() async throws {
        guard socketPath != nil else {
            // Not under systemd: a service that returned early would end the group, so wait for shutdown.
            try? await gracefulShutdown()
            return
        }
        try await waitUntilReady()
        send("READY=1\nSTATUS=serving")
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: watchdogInterval ?? .seconds(3600))
                if watchdogInterval != nil, !Task.isCancelled { send("WATCHDOG=1") }
            }
        }
        send("STOPPING=1")
    }

    /// Sends one notification datagram (an abstract socket when the path starts with `@`).
    func send(_ message: String) {
        guard var path = socketPath else { return }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        if path.hasPrefix("@") { path = "\0" + path.dropFirst() }
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        _ = message.withCString { text in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, text, strlen(text), 0, $0, length)
                }
            }
        }
    }
}
