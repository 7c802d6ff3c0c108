import Foundation
import JSONRPC
import RPCClient
import TestSupport
import Testing

/// Raw bytes over the socket: malformed input gets its JSON-RPC error (or a clean close) and the daemon keeps
/// serving everyone else.
@Suite(.serialized) struct HostileInputTests {
    func exchange(_ socketPath: String, _ bytes: [UInt8]) async throws -> String? {
        try await blocking { try BlockingConnection.exchange(socketPath, bytes) }
    }

    func errorCode(_ reply: String?) -> Int64? {
        guard let reply, let value = try? JSONValue.parse(Array(reply.utf8)) else { return nil }
        return value["error"]?["code"]?.int64Value
    }

    @Test func malformedRequestsGetErrorsAndTheDaemonKeepsServing() async throws {
        try await DevNetwork.run { network in
            let daemon = try await network.daemon(extra: "[rpc]\nmax_line_bytes = 4096\nmax_batch = 5")
            let path = daemon.socketPath
            #expect(errorCode(try await exchange(path, Array("{not json\n".utf8))) == -32700)
            #expect(errorCode(try await exchange(path, Array("[]\n".utf8))) == -32600)
            #expect(errorCode(try await exchange(path, Array("{\"jsonrpc\":\"2.0\",\"id\":1}\n".utf8))) == -32600)
            #expect(errorCode(try await exchange(path, [0xff, 0xfe, 0x0a])) == -32700)
            #expect(
                errorCode(try await exchange(path, Array(String(repeating: "[", count: 10_000).utf8) + [0x0a])) != nil)
            let long =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.info\",\"params\":{\"x\":\""
                + String(repeating: "a", count: 10_000) + "\"}}\n"
            #expect(errorCode(try await exchange(path, Array(long.utf8))) == 103)
            let batch =
                "["
                + (0..<6).map { "{\"jsonrpc\":\"2.0\",\"id\":\($0),\"method\":\"daemon.info\"}" }.joined(separator: ",")
                + "]\n"
            #expect(errorCode(try await exchange(path, Array(batch.utf8))) == 104)
            let huge =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"invoice.create\",\"params\":{\"amount_msat\":123456789012345678901234567890,\"description\":\"x\"}}\n"
            #expect(errorCode(try await exchange(path, Array(huge.utf8))) == -32602)
            // A client that disconnects mid-request.
            _ = try? await exchange(
                path, Array("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"invoice.wait\",\"params\":{\"payment_ha".utf8))
            // A batch of valid requests is answered as an array.
            let ok =
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.info\"},{\"jsonrpc\":\"2.0\",\"method\":\"daemon.info\"}]\n"
            let reply = try await exchange(path, Array(ok.utf8))
            #expect((try? JSONValue.parse(Array((reply ?? "").utf8)))?.arrayValue?.count == 1)
            #expect(try await daemon.call("daemon.info").string("network") == "regtest")
            #expect(daemon.isRunning)
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func slowAndMaliciousClientsDoNotStopTheOthers() async throws {
        try await DevNetwork.run { network in
            let daemon = try await network.daemon(extra: "[rpc]\nidle_timeout_s = 3\nmax_line_bytes = 65536")
            let path = daemon.socketPath
            // Half a line, then silence: the idle timeout answers idle_timeout and closes.
            let silent = Task {
                try await blocking {
                    let connection = try BlockingConnection(path)
                    connection.send(Array(#"{"jsonrpc":"2.0","id":1,"meth"#.utf8))
                    let reply = connection.readLine()
                    return (reply, connection.isClosedByPeer())
                }
            }
            // Data without end and without a newline: refused with request_too_large once past the limit.
            let endless = Task {
                try await blocking {
                    let connection = try BlockingConnection(path)
                    var sent = 0
                    let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 16_384)
                    while sent < 64 << 20 {
                        let count = connection.send(chunk)
                        sent += count
                        if count < chunk.count { break }
                    }
                    return (sent, connection.readLine())
                }
            }
            // Thousands of connections opened and dropped, half of them mid-request.
            let churn = Task {
                try await blocking {
                    var opened = 0
                    for index in 0..<2_000 {
                        guard let connection = try? BlockingConnection(path) else { continue }
                        if index.isMultiple(of: 2) { connection.send(Array(#"{"jsonrpc":"2.0","id":1,"#.utf8)) }
                        opened += 1
                    }
                    return opened
                }
            }
            // Meanwhile a well-behaved client keeps being served.
            for index in 0..<100 {
                #expect(try await daemon.call("daemon.info").string("network") == "regtest")
                let invoice = try await daemon.call(
                    "invoice.create", ["amount_msat": 1_000, "description": .string("served \(index)")])
                #expect(invoice.string("bolt11").hasPrefix("lnbcrt"))
            }
            let (idleReply, idleClosed) = try await silent.value
            #expect(idleReply?.contains("idle_timeout") == true)
            #expect(idleClosed)
            let (sent, tooLarge) = try await endless.value
            #expect(sent < 64 << 20, "the daemon kept reading \(sent) bytes without a newline")
            #expect(tooLarge?.contains("request_too_large") == true)
            #expect(try await churn.value > 1_900)
            #expect(try await daemon.call("daemon.health").string("status") == "ok")
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
