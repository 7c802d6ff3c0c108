import JSONRPC
import RPCWire
import TestSupport
import Testing

@testable import RPCServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite(.timeLimit(.minutes(2))) struct SocketServerTests {
    @Test func servesCallsWithPeerCredentialsOnASocketWithMode0660() async throws {
        try await withServer { running in
            #expect(fileMode(running.path).map { $0 & UInt32(S_IFMT) } == UInt32(S_IFSOCK))
            #expect(fileMode(running.path).map { $0 & 0o777 } == 0o660)
            let client = try await running.client()
            #expect(try await client.call("subtract", params: ["minuend": 42, "subtrahend": 23]) == 19)
            let whoami = try await client.call("whoami")
            #expect(whoami["uid"] == .integer(Int64(getuid())))
            #expect(whoami["gid"] == .integer(Int64(getegid())))
            #expect(whoami["pid"] == .integer(Int64(getpid())))
            let error = await #expect(throws: RPCError.self) { try await client.call("fail") }
            #expect(error?.reason == .invoiceNotFound)
            #expect(error?.code == 300)
            #expect(error?.requestID?.count == 16)
            try await client.notify("notify_hello")
            try await eventually { await running.service.recorder.events == ["notify_hello"] }
            await client.close()
        }
    }

    @Test func servesConcurrentClientsAndPipelinedCalls() async throws {
        try await withServer { running in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for clientIndex in 0..<8 {
                    group.addTask {
                        let client = try await running.client()
                        try await withThrowingTaskGroup(of: Void.self) { calls in
                            for callIndex in 0..<25 {
                                calls.addTask {
                                    let tag = JSONValue.string("\(clientIndex)-\(callIndex)")
                                    let result = try await client.call("echo", params: ["tag": tag])
                                    #expect(result == ["tag": tag])
                                }
                            }
                            try await calls.waitForAll()
                        }
                        await client.close()
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func replacesAStaleSocket() async throws {
        try await withServer({ configuration in
            try makeStaleSocket(at: configuration.socketPath)
            #expect(fileMode(configuration.socketPath).map { $0 & UInt32(S_IFMT) } == UInt32(S_IFSOCK))
        }) { running in
            let client = try await running.client()
            #expect(try await client.call("echo", params: ["ok": true]) == ["ok": true])
            await client.close()
        }
    }

    @Test func neverStealsALiveSocket() async throws {
        try await withServer { running in
            let second = RPCServer(
                configuration: RPCServer.Configuration(socketPath: running.path),
                service: TestService(),
                logger: .test
            )
            let error = await #expect(throws: RPCServerError.self) { try await second.run() }
            #expect(error?.code == .socketInUse)
            #expect(error?.message == "another process is listening on \(running.path)")
            await #expect(throws: RPCServerError.self) { try await second.waitUntilListening() }
            let client = try await running.client()
            #expect(try await client.call("echo") == [:])
            await client.close()
        }
    }

    @Test func refusesPathsThatAreNotUsable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let filePath = directory.path + "/not-a-socket"
        let file = fopen(filePath, "w")
        fclose(file)
        for path in [
            filePath, directory.path + "/missing/rpc.sock", directory.path + "/" + String(repeating: "s", count: 120),
        ] {
            let server = RPCServer(
                configuration: RPCServer.Configuration(socketPath: path), service: TestService(), logger: .test)
            let error = await #expect(throws: RPCServerError.self) { try await server.run() }
            #expect(error?.code == .invalidSocketPath)
        }
        #expect(fileMode(filePath).map { $0 & UInt32(S_IFMT) } == UInt32(S_IFREG))
    }

    @Test func speaksTheLineProtocol() async throws {
        try await withServer({ $0.maxLineBytes = 4096 }) { running in
            let client = try await LineClient.connect(to: running.path)
            var lines = client.lines.makeAsyncIterator()
            try await client.send(#"{"jsonrpc":"2.0","method":"notify_hello"}"# + "\n" + "{oops\n")
            let parseError = try #require(try await lines.nextJSON())
            #expect(parseError["error"]?["code"] == -32700)
            try await client.send(
                #"[{"jsonrpc":"2.0","method":"sum","params":{"values":[1,2]},"id":1},{"jsonrpc":"2.0","method":"get_data","id":2}]"#
                    + "\n")
            #expect(
                try await lines.nextJSON() == [
                    ["jsonrpc": "2.0", "result": 3, "id": 1], ["jsonrpc": "2.0", "result": ["hello", 5], "id": 2],
                ])
            try await client.send(String(repeating: " ", count: 5000) + "\n")
            let tooLarge = try #require(try await lines.nextJSON())
            #expect(tooLarge["error"]?["data"]?["reason"] == "request_too_large")
            #expect(try await lines.nextJSON() == nil)
            #expect(await running.service.recorder.events == ["notify_hello"])
        }
    }

    @Test func closesIdleConnections() async throws {
        try await withServer({ $0.idleTimeout = .milliseconds(300) }) { running in
            let notice = try await LineClient.closingNotice(at: running.path)
            #expect(notice?["error"]?["data"]?["reason"] == "idle_timeout")
        }
    }

    @Test func refusesConnectionsPastTheLimit() async throws {
        try await withServer({ $0.maxConnections = 2 }) { running in
            let first = try await running.client()
            let second = try await running.client()
            #expect(try await first.call("echo") == [:])
            #expect(try await second.call("echo") == [:])
            let notice = try await LineClient.closingNotice(at: running.path)
            #expect(notice?["error"]?["data"]?["reason"] == "too_many_connections")
            #expect(notice?["error"]?["data"]?["max_connections"] == 2)
            await first.close()
            try await eventually {
                let client = try await running.client()
                let answered = (try? await client.call("echo")) == [:]
                await client.close()
                return answered
            }
            await second.close()
        }
    }

    @Test func refusesPeersAdmittedToNothingAtConnectWithoutTakingASlot() async throws {
        var service = TestService()
        service.admission = .refused
        try await withServer({ $0.maxConnections = 1 }, service: service) { running in
            for _ in 0..<3 {
                let notice = try await LineClient.closingNotice(at: running.path)
                #expect(notice?["error"]?["data"]?["reason"] == "unauthorized")
            }
        }
    }

    @Test func aCallMadeAfterARefusedConnectionClosedGetsTheDaemonsReason() async throws {
        var service = TestService()
        service.admission = .refused
        try await withServer(service: service) { running in
            // The client gets to its call only once the daemon has refused it and the connection is closed, as a
            // `t4gctl` slowed by a loaded machine does: the call says why, not "connection closed".
            let client = try await running.client()
            try await eventually("the refused connection is closed") { client.isClosed }
            let refused = await #expect(throws: RPCError.self) { try await client.call("echo") }
            #expect(refused?.reason == .unauthorized)
        }
    }

    @Test func keepsTheReservedSlotsForPrivilegedPeers() async throws {
        var service = TestService()
        service.admission = .admitted
        let limits: (inout RPCServer.Configuration) -> Void = {
            $0.maxConnections = 4
            $0.reservedConnections = 2
        }
        try await withServer(limits, service: service) { running in
            let clients = [try await running.client(), try await running.client()]
            for client in clients {
                #expect(try await client.call("echo") == [:])
            }
            let notice = try await LineClient.closingNotice(at: running.path)
            #expect(notice?["error"]?["data"]?["reason"] == "too_many_connections")
            for client in clients {
                await client.close()
            }
        }
    }

    @Test func closesAClientThatTricklesOneRequestPastTheRequestTimeout() async throws {
        let timeouts: (inout RPCServer.Configuration) -> Void = {
            $0.idleTimeout = .seconds(60)
            $0.requestTimeout = .seconds(1)
        }
        try await withServer(timeouts) { running in
            let client = try await LineClient.connect(to: running.path)
            var lines = client.lines.makeAsyncIterator()
            // One byte every 50 ms is never idle, but the line would take about 2.6 s to arrive.
            let trickle = Task {
                for byte in #"{"jsonrpc":"2.0","id":1,"method":"echo","params":{}}"# {
                    guard (try? await client.send(String(byte))) != nil else { return }
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            let notice = try #require(try await lines.nextJSON())
            trickle.cancel()
            #expect(notice["error"]?["data"]?["reason"] == "idle_timeout")
            #expect(notice["error"]?["data"]?["request_timeout_s"] == 1)
            #expect(notice["id"] == .null)
            #expect(try await lines.nextJSON() == nil)
        }
    }

    @Test func aRequestSentWholeIsNotBoundByTheRequestTimeoutOfTheNext() async throws {
        try await withServer({ $0.requestTimeout = .milliseconds(300) }) { running in
            let client = try await running.client()
            for _ in 0..<3 {
                #expect(try await client.call("sleep", params: ["ms": 400]) == "slept")
            }
            await client.close()
        }
    }

    @Test func survivesClientsThatDisconnectMidRequest() async throws {
        try await withServer { running in
            let leaving = try await running.client()
            let hanging = Task { try await leaving.call("hang") }
            try await eventually { await running.service.recorder.events == ["hang started"] }
            await leaving.close()
            await #expect(throws: RPCServerError.self) { try await hanging.value }
            try await eventually { await running.service.recorder.events == ["hang started", "hang cancelled"] }

            let raw = try await LineClient.connect(to: running.path)
            try await raw.send(#"{"jsonrpc":"2.0","method":"wait","params":{"key":"k"},"id":1}"# + "\n")
            try await eventually { await running.service.gate.waiterCount("k") == 1 }
            await raw.close()
            await running.service.gate.open("k")

            let staying = try await running.client()
            #expect(try await staying.call("echo", params: ["still": "here"]) == ["still": "here"])
            await staying.close()
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequestsAndRemovesTheSocket() async throws {
        try await withServer { running in
            let client = try await running.client()
            let inFlight = Task { try await client.call("wait", params: ["key": "k"]) }
            try await eventually { await running.service.gate.waiterCount("k") == 1 }
            await running.group.triggerGracefulShutdown()
            try await eventually {
                do {
                    _ = try await client.call("echo")
                    return false
                } catch let error as RPCError {
                    return error.reason == .shuttingDown
                }
            }
            await #expect(throws: RPCServerError.self) { try await running.client() }
            await running.service.gate.open("k")
            #expect(try await inFlight.value == "k")
            try await eventually { client.isClosed }
            try await eventually { fileMode(running.path) == nil }
        }
    }

    @Test func clientCallsTimeOutAndCanBeCancelled() async throws {
        try await withServer { running in
            let client = try await running.client()
            let timedOut = await #expect(throws: RPCServerError.self) {
                try await client.call("wait", params: ["key": "k"], timeout: .milliseconds(100))
            }
            #expect(timedOut?.code == .timeout)
            let cancelled = Task { try await client.call("wait", params: ["key": "k"]) }
            try await eventually { await running.service.gate.waiterCount("k") == 2 }
            cancelled.cancel()
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            await running.service.gate.open("k")
            #expect(try await client.call("echo", params: ["after": true]) == ["after": true])
            await client.close()
        }
    }

    @Test func streamsNotificationsToSubscribers() async throws {
        // The idle timeout must outlast the wait below, yet leave a loaded machine time to send the request.
        try await withServer({ $0.idleTimeout = .seconds(3) }) { running in
            let client = try await running.client()
            #expect(try await client.call("subscribe", params: ["count": 3]) == ["subscribed": true])
            var notifications = client.notifications.makeAsyncIterator()
            for index in 0..<3 {
                let notification = try #require(await notifications.next())
                #expect(notification == RPCNotification(method: "event", params: ["index": .integer(Int64(index))]))
            }
            try await Task.sleep(for: .milliseconds(4_000))
            #expect(!client.isClosed)
            await client.close()
            try await eventually { await running.service.recorder.events == ["subscriber saw close"] }
        }
    }
}
