import Foundation
import JSONRPC
import TestSupport
import Testing

/// Raw bytes over the socket: malformed input gets its JSON-RPC error (or a clean close) and the daemon keeps
/// serving everyone else.
@Suite(.serialized) struct HostileInputTests {
    /// Sends raw bytes on a fresh connection and reads one reply line (or nil when the daemon closes first).
    func exchange(_ socketPath: String, _ bytes: [UInt8]) throws -> String? {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
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
        guard connected == 0 else { throw DaemonProcessError(message: "connect failed") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { break }
            offset += sent
        }
        var reply = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !reply.contains(UInt8(ascii: "\n")) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply += buffer[0..<count]
        }
        return reply.isEmpty ? nil : String(decoding: reply, as: UTF8.self)
    }

    func errorCode(_ reply: String?) -> Int64? {
        guard let reply, let value = try? JSONValue.parse(Array(reply.utf8)) else { return nil }
        return value["error"]?["code"]?.int64Value
    }

    @Test func malformedRequestsGetErrorsAndTheDaemonKeepsServing() async throws {
        try await DevNetwork.run { network in
            let daemon = try await network.daemon(extra: "[rpc]\nmax_line_bytes = 4096\nmax_batch = 5")
            let path = daemon.socketPath
            #expect(errorCode(try exchange(path, Array("{not json\n".utf8))) == -32700)
            #expect(errorCode(try exchange(path, Array("[]\n".utf8))) == -32600)
            #expect(errorCode(try exchange(path, Array("{\"jsonrpc\":\"2.0\",\"id\":1}\n".utf8))) == -32600)
            #expect(errorCode(try exchange(path, [0xff, 0xfe, 0x0a])) == -32700)
            #expect(errorCode(try exchange(path, Array(String(repeating: "[", count: 10_000).utf8) + [0x0a])) != nil)
            let long =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.info\",\"params\":{\"x\":\""
                + String(repeating: "a", count: 10_000) + "\"}}\n"
            #expect(errorCode(try exchange(path, Array(long.utf8))) == 103)
            let batch =
                "["
                + (0..<6).map { "{\"jsonrpc\":\"2.0\",\"id\":\($0),\"method\":\"daemon.info\"}" }.joined(separator: ",")
                + "]\n"
            #expect(errorCode(try exchange(path, Array(batch.utf8))) == 104)
            let huge =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"invoice.create\",\"params\":{\"amount_msat\":123456789012345678901234567890,\"description\":\"x\"}}\n"
            #expect(errorCode(try exchange(path, Array(huge.utf8))) == -32602)
            // A client that disconnects mid-request.
            _ = try? exchange(
                path, Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"invoice.wait\",\"params\":{\"payment_ha".utf8))
            // A batch of valid requests is answered as an array.
            let ok =
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.info\"},{\"jsonrpc\":\"2.0\",\"method\":\"daemon.info\"}]\n"
            let reply = try exchange(path, Array(ok.utf8))
            #expect((try? JSONValue.parse(Array((reply ?? "").utf8)))?.arrayValue?.count == 1)
            #expect(try await daemon.call("daemon.info").string("network") == "regtest")
            #expect(daemon.isRunning)
        }
    }

    @Test func aSecondDaemonOnTheSameSocketExitsWithAClearError() async throws {
        try await DevNetwork.run { network in
            let first = try await network.daemon()
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            do {
                _ = try await DaemonProcess(
                    directory: directory, config: "", extraArguments: ["--socket", first.socketPath])
                Issue.record("the second daemon started")
            } catch {
                #expect("\(error)".contains("listening"))
            }
            #expect(try await first.call("daemon.info").string("backend") == "dev")
        }
    }

    @Test func aBadConfigurationIsRefusedNamingTheKey() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        do {
            _ = try await DaemonProcess(directory: directory, config: "[rpc]\nmax_batch = \"many\"\n")
            Issue.record("started with a bad config")
        } catch {
            #expect("\(error)".contains("rpc.max_batch"))
        }
    }
}
