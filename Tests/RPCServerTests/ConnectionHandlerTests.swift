import JSONRPC
import Logging
import NIOCore
import NIOEmbedded
import TestSupport
import Testing

@testable import RPCServer

/// One connection's handler on a `NIOAsyncTestingChannel`, accepted: bytes in, lines out.
private struct TestConnection {
    let channel: NIOAsyncTestingChannel
    let service: TestService
    private let finished: EventLoopFuture<Void>

    init(
        configuration: RPCServer.Configuration = RPCServer.Configuration(socketPath: "/unused"),
        service: TestService = TestService(), budget: InFlightBudget? = nil
    ) async throws {
        let channel = NIOAsyncTestingChannel()
        let session = ConnectionSession(
            id: "test",
            peer: PeerCredentials(uid: 1000, gid: 100, pid: 42),
            service: service,
            logger: .test,
            budget: budget ?? InFlightBudget(limit: configuration.maxInFlight)
        )
        let finished = try await channel.testingEventLoop.executeInContext {
            try RPCConnectionHandler.install(on: channel, configuration: configuration, session: session)
        }
        try await channel.connect(to: SocketAddress(unixDomainSocketPath: "/tmp/t4gd-test.sock"))
        self.channel = channel
        self.service = service
        self.finished = finished
        try await trigger(.accept)
    }

    func send(_ text: String) async throws {
        try await channel.writeInbound(ByteBuffer(string: text))
    }

    func send(bytes: [UInt8]) async throws {
        try await channel.writeInbound(ByteBuffer(bytes: bytes))
    }

    /// The next line written to the client, parsed; fails if it is not one `\n`-terminated JSON text,
    /// or if none comes within `timeout` (the channel is then closed, to end the wait).
    func reply(timeout: Duration = .seconds(10)) async throws -> JSONValue {
        let watchdog = Task { [channel] in
            try await Task.sleep(for: timeout)
            try await channel.close()
        }
        defer { watchdog.cancel() }
        var buffer = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        try #require(bytes.last == UInt8(ascii: "\n"))
        #expect(bytes.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") })
        return try JSONValue.parse(bytes.dropLast())
    }

    func expectNoMoreOutput() async throws {
        #expect(try await channel.readOutbound(as: ByteBuffer.self) == nil)
    }

    func trigger(_ event: ConnectionEvent) async throws {
        try await channel.testingEventLoop.executeInContext {
            channel.triggerUserOutboundEvent(event, promise: nil)
        }
    }

    /// Closes the connection and waits until its request tasks have finished.
    func finish() async throws {
        try? await channel.close()
        try await finished.get()
    }

    /// The notice (id null) the handler sends as it closes the connection, once the connection has closed.
    func closingNotice() async throws -> JSONValue {
        let notice = try await reply()
        #expect(notice["id"] == .null)
        try await channel.closeFuture.get()
        try await finish()
        return notice
    }
}

private func errorReason(_ reply: JSONValue) -> String? {
    reply["error"]?["data"]?["reason"]?.stringValue
}

@Suite(.timeLimit(.minutes(1))) struct ConnectionHandlerTests {
    @Test func answersARequest() async throws {
        let connection = try await TestConnection()
        try await connection.send(
            #"{"jsonrpc":"2.0","method":"subtract","params":{"minuend":42,"subtrahend":23},"id":1}"# + "\n")
        #expect(try await connection.reply() == ["jsonrpc": "2.0", "result": 19, "id": 1])
        try await connection.finish()
    }

    @Test func joinsALineSplitAcrossReads() async throws {
        let connection = try await TestConnection()
        try await connection.send(#"{"jsonrpc":"2.0","met"#)
        try await connection.send(#"hod":"echo","params":{"a":"\u00e9"#)
        try await connection.send("\"},\"id\":\"x\"}\r")
        try await connection.send("\n")
        #expect(try await connection.reply() == ["jsonrpc": "2.0", "result": ["a": "é"], "id": "x"])
        try await connection.finish()
    }

    @Test func answersSeveralRequestsFromOneRead() async throws {
        let connection = try await TestConnection()
        let lines = (1...3).map { #"{"jsonrpc":"2.0","method":"echo","params":{"n":\#($0)},"id":\#($0)}"# }
        try await connection.send(lines.joined(separator: "\n") + "\n\n  \n")
        var ids: Set<JSONValue> = []
        for _ in 1...3 {
            let reply = try await connection.reply()
            #expect(reply["result"]?["n"] == reply["id"])
            ids.insert(reply["id"] ?? nil)
        }
        #expect(ids == [1, 2, 3])
        try await connection.expectNoMoreOutput()
        try await connection.finish()
    }

    @Test func pipelinedRequestsAreAnsweredAsTheyFinish() async throws {
        let connection = try await TestConnection()
        try await connection.send(
            #"{"jsonrpc":"2.0","method":"wait","params":{"key":"slow"},"id":1}"# + "\n"
                + #"{"jsonrpc":"2.0","method":"wait","params":{"key":"fast"},"id":2}"# + "\n"
        )
        try await eventually { await connection.service.gate.waiterCount("slow") == 1 }
        try await eventually { await connection.service.gate.waiterCount("fast") == 1 }
        await connection.service.gate.open("fast")
        #expect(try await connection.reply() == ["jsonrpc": "2.0", "result": "fast", "id": 2])
        await connection.service.gate.open("slow")
        #expect(try await connection.reply() == ["jsonrpc": "2.0", "result": "slow", "id": 1])
        try await connection.finish()
    }

    @Test func notificationsGetNoReply() async throws {
        let connection = try await TestConnection()
        try await connection.send(#"{"jsonrpc":"2.0","method":"notify_hello","params":{"v":1}}"# + "\n")
        try await connection.send(#"{"jsonrpc":"2.0","method":"no_such_method"}"# + "\n")
        try await connection.send(#"{"jsonrpc":"2.0","method":"update","params":[1,2,3]}"# + "\n")
        try await connection.send(#"{"jsonrpc":"2.0","method":"get_data","id":"9"}"# + "\n")
        #expect(try await connection.reply() == ["jsonrpc": "2.0", "result": ["hello", 5], "id": "9"])
        try await eventually { await connection.service.recorder.events == ["notify_hello"] }
        try await connection.expectNoMoreOutput()
        try await connection.finish()
    }

    @Test func errorsCarryReasonAndRequestID() async throws {
        let connection = try await TestConnection()
        try await connection.send(#"{"jsonrpc":"2.0","method":"foobar","id":"1"}"# + "\n")
        let reply = try await connection.reply()
        #expect(reply["error"]?["code"] == -32601)
        #expect(reply["error"]?["message"] == "Method not found")
        #expect(errorReason(reply) == "method_not_found")
        #expect(reply["error"]?["data"]?["method"] == "foobar")
        let requestID = try #require(reply["error"]?["data"]?["request_id"]?.stringValue)
        #expect(requestID.count == 16 && requestID.allSatisfy(\.isHexDigit))
        #expect(reply["id"] == "1")
        try await connection.finish()
    }

    @Test func eachRequestGetsItsOwnRequestID() async throws {
        let connection = try await TestConnection()
        try await connection.send(#"{"jsonrpc":"2.0","method":"whoami","id":1}"# + "\n")
        let first = try await connection.reply()
        try await connection.send(#"{"jsonrpc":"2.0","method":"whoami","id":2}"# + "\n")
        let second = try await connection.reply()
        #expect(first["result"]?["uid"] == 1000)
        #expect(first["result"]?["pid"] == 42)
        #expect(first["result"]?["request_id"] != second["result"]?["request_id"])
        try await connection.finish()
    }

    @Test func invalidJSONAndInvalidUTF8GetParseErrorsAndTheConnectionStaysUsable() async throws {
        let connection = try await TestConnection()
        try await connection.send(#"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"# + "\n")
        var reply = try await connection.reply()
        #expect(reply["error"]?["code"] == -32700)
        #expect(reply["id"] == .null)
        #expect(reply["error"]?["data"]?["request_id"]?.stringValue != nil)

        try await connection.send(
            bytes: Array(#"{"jsonrpc":"2.0","method":"echo","params":{"s":""#.utf8) + [0xC3, 0x28]
                + Array("\"},\"id\":1}\n".utf8))
        reply = try await connection.reply()
        #expect(errorReason(reply) == "parse_error")
        #expect(reply["id"] == .null)

        try await connection.send(#"{"jsonrpc":"2.0","method":"echo","params":{"s":"\ud800"},"id":1}"# + "\n")
        #expect(errorReason(try await connection.reply()) == "parse_error")

        try await connection.send(String(repeating: "[", count: 65) + String(repeating: "]", count: 65) + "\n")
        #expect(errorReason(try await connection.reply()) == "parse_error")

        try await connection.send(#"{"jsonrpc":"2.0","method":"echo","id":2}"# + "\n")
        #expect(try await connection.reply() == ["jsonrpc": "2.0", "result": [:], "id": 2])
        try await connection.finish()
    }

    @Test func invalidRequestsAndPositionalParams() async throws {
        let connection = try await TestConnection()
        try await connection.send(#"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"# + "\n")
        var reply = try await connection.reply()
        #expect(reply["error"]?["code"] == -32600)
        #expect(reply["id"] == .null)
        try await connection.send(#"{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}"# + "\n")
        reply = try await connection.reply()
        #expect(reply["error"]?["code"] == -32602)
        #expect(reply["id"] == 1)
        try await connection.finish()
    }

    /// The specification's batch example, adapted to named params.
    @Test func answersABatchWithOneArrayInOrder() async throws {
        let connection = try await TestConnection()
        let batch = """
            [{"jsonrpc":"2.0","method":"sum","params":{"values":[1,2,4]},"id":"1"},\
            {"jsonrpc":"2.0","method":"notify_hello","params":{"value":7}},\
            {"jsonrpc":"2.0","method":"subtract","params":{"minuend":42,"subtrahend":23},"id":"2"},\
            {"foo":"boo"},\
            {"jsonrpc":"2.0","method":"foo.get","params":{"name":"myself"},"id":"5"},\
            {"jsonrpc":"2.0","method":"get_data","id":"9"}]
            """
        try await connection.send(batch + "\n")
        let replies = try #require(try await connection.reply().arrayValue)
        #expect(replies.count == 5)
        #expect(replies[0] == ["jsonrpc": "2.0", "result": 7, "id": "1"])
        #expect(replies[1] == ["jsonrpc": "2.0", "result": 19, "id": "2"])
        #expect(replies[2]["error"]?["code"] == -32600)
        #expect(replies[2]["id"] == .null)
        #expect(replies[3]["error"]?["code"] == -32601)
        #expect(replies[3]["id"] == "5")
        #expect(replies[4] == ["jsonrpc": "2.0", "result": ["hello", 5], "id": "9"])
        try await connection.finish()
    }

    @Test func batchEdgeCases() async throws {
        let connection = try await TestConnection()
        try await connection.send("[]\n")
        var reply = try await connection.reply()
        #expect(reply["error"]?["code"] == -32600)
        #expect(reply["id"] == .null)

        try await connection.send("[1,2,3]\n")
        reply = try await connection.reply()
        #expect(reply.arrayValue?.map(errorReason) == ["invalid_request", "invalid_request", "invalid_request"])

        try await connection.send(
            #"[{"jsonrpc":"2.0","method":"notify_sum","params":{"values":[1,2,4]}},{"jsonrpc":"2.0","method":"notify_hello","params":{"value":7}}]"#
                + "\n"
        )
        try await eventually { await connection.service.recorder.events.count == 2 }
        try await connection.send(#"{"jsonrpc":"2.0","method":"echo","id":"after"}"# + "\n")
        #expect(try await connection.reply()["id"] == "after")
        try await connection.expectNoMoreOutput()
        try await connection.finish()
    }

    @Test func refusesABatchOverTheLimit() async throws {
        var configuration = RPCServer.Configuration(socketPath: "/unused")
        configuration.maxBatch = 3
        let connection = try await TestConnection(configuration: configuration)
        let element = #"{"jsonrpc":"2.0","method":"echo","id":1}"#
        try await connection.send("[" + Array(repeating: element, count: 4).joined(separator: ",") + "]\n")
        let reply = try await connection.reply()
        #expect(errorReason(reply) == "batch_too_large")
        #expect(reply["error"]?["code"] == 104)
        #expect(reply["error"]?["data"]?["max_batch"] == 3)
        #expect(reply["id"] == .null)
        try await connection.send("[" + Array(repeating: element, count: 3).joined(separator: ",") + "]\n")
        #expect(try await connection.reply().arrayValue?.count == 3)
        try await connection.finish()
    }

    @Test func refusesRequestsPastTheInFlightLimit() async throws {
        var configuration = RPCServer.Configuration(socketPath: "/unused")
        configuration.maxInFlightPerConnection = 2
        let connection = try await TestConnection(configuration: configuration)
        for id in 1...3 {
            try await connection.send(#"{"jsonrpc":"2.0","method":"wait","params":{"key":"k"},"id":\#(id)}"# + "\n")
        }
        let refused = try await connection.reply()
        #expect(refused["id"] == 3)
        #expect(errorReason(refused) == "overloaded")
        #expect(refused["error"]?["data"]?["retry_after_s"] == 1)
        #expect(refused["error"]?["code"] == 100)

        try await connection.send(
            #"[{"jsonrpc":"2.0","method":"echo","id":"b1"},{"jsonrpc":"2.0","method":"echo","id":"b2"}]"# + "\n"
        )
        let batch = try #require(try await connection.reply().arrayValue)
        #expect(batch.map(errorReason) == ["overloaded", "overloaded"])

        await connection.service.gate.open("k")
        let ids = Set([try await connection.reply()["id"], try await connection.reply()["id"]])
        #expect(ids == [1, 2])
        try await connection.send(#"{"jsonrpc":"2.0","method":"echo","id":4}"# + "\n")
        #expect(try await connection.reply()["id"] == 4)
        try await connection.finish()
    }

    @Test func immediateMethodsAnswerInOrderWithoutTakingInFlightSlots() async throws {
        var configuration = RPCServer.Configuration(socketPath: "/unused")
        configuration.maxInFlightPerConnection = 1
        let connection = try await TestConnection(configuration: configuration)
        try await connection.send(#"{"jsonrpc":"2.0","method":"wait","params":{"key":"k"},"id":1}"# + "\n")
        try await eventually { await connection.service.gate.waiterCount("k") == 1 }
        let instant = (2...4).map { #"{"jsonrpc":"2.0","method":"instant_echo","params":{"n":\#($0)},"id":\#($0)}"# }
        try await connection.send(instant.joined(separator: "\n") + "\n")
        for id in 2...4 {
            #expect(
                try await connection.reply() == [
                    "jsonrpc": "2.0", "result": ["n": .integer(Int64(id))], "id": .integer(Int64(id)),
                ])
        }
        try await connection.send(#"{"jsonrpc":"2.0","method":"instant_fail","id":5}"# + "\n")
        let failed = try await connection.reply()
        #expect(errorReason(failed) == "invoice_not_found")
        #expect(failed["error"]?["data"]?["request_id"]?.stringValue?.count == 16)
        try await connection.send(#"{"jsonrpc":"2.0","method":"instant_echo","params":{"quiet":true}}"# + "\n")
        await connection.service.gate.open("k")
        #expect(try await connection.reply() == ["jsonrpc": "2.0", "result": "k", "id": 1])
        try await connection.send(
            #"[{"jsonrpc":"2.0","method":"instant_echo","id":"b1"},{"jsonrpc":"2.0","method":"echo","id":"b2"}]"# + "\n"
        )
        let batch = try #require(try await connection.reply().arrayValue)
        #expect(batch.map { $0["id"] } == ["b1", "b2"])
        try await connection.expectNoMoreOutput()
        try await connection.finish()
    }

    @Test func theDaemonWideBudgetRefusesTasksButNotImmediateAnswers() async throws {
        let service = TestService()
        let budget = InFlightBudget(limit: 2)
        let first = try await TestConnection(service: service, budget: budget)
        let second = try await TestConnection(service: service, budget: budget)
        for id in 1...2 {
            try await first.send(#"{"jsonrpc":"2.0","method":"wait","params":{"key":"k"},"id":\#(id)}"# + "\n")
        }
        try await eventually { await service.gate.waiterCount("k") == 2 }
        try await second.send(#"{"jsonrpc":"2.0","method":"wait","params":{"key":"k"},"id":3}"# + "\n")
        let refused = try await second.reply()
        #expect(errorReason(refused) == "overloaded")
        #expect(refused["error"]?["data"]?["retry_after_s"] == 1)
        try await second.send(#"{"jsonrpc":"2.0","method":"instant_echo","id":4}"# + "\n")
        #expect(try await second.reply()["id"] == 4)
        await service.gate.open("k")
        _ = (try await first.reply(), try await first.reply())
        #expect(budget.inUse == 0)
        try await second.send(#"{"jsonrpc":"2.0","method":"wait","params":{"key":"k"},"id":5}"# + "\n")
        #expect(try await second.reply()["result"] == "k")
        try await first.finish()
        try await second.finish()
        #expect(budget.inUse == 0)
    }

    /// A client that closes its connection mid-wait gives its units back at once: the requests' tasks are
    /// cancelled when the channel closes, not left to run to their own ends.
    @Test func aClosedConnectionGivesItsBudgetUnitsBack() async throws {
        let service = TestService()
        let budget = InFlightBudget(limit: 2)
        let leaving = try await TestConnection(service: service, budget: budget)
        for id in 1...2 {
            try await leaving.send(#"{"jsonrpc":"2.0","method":"wait","params":{"key":"k"},"id":\#(id)}"# + "\n")
        }
        try await eventually { await service.gate.waiterCount("k") == 2 }
        #expect(budget.inUse == 2)
        try await leaving.finish()
        #expect(budget.inUse == 0)
        #expect(await service.gate.waiterCount("k") == 0)

        let next = try await TestConnection(service: service, budget: budget)
        try await next.send(#"{"jsonrpc":"2.0","method":"wait","params":{"key":"n"},"id":3}"# + "\n")
        try await eventually { await service.gate.waiterCount("n") == 1 }
        #expect(budget.inUse == 1)
        await service.gate.open("n")
        #expect(try await next.reply()["result"] == "n")
        try await next.finish()
        #expect(budget.inUse == 0)
    }

    @Test func closesAfterALineTooLong() async throws {
        var configuration = RPCServer.Configuration(socketPath: "/unused")
        configuration.maxLineBytes = 64
        let connection = try await TestConnection(configuration: configuration)
        try await connection.send(#"{"jsonrpc":"2.0","method":"echo","id":1}"# + "\n")
        #expect(try await connection.reply()["id"] == 1)
        try await connection.send(String(repeating: "x", count: 40))
        try await connection.send(String(repeating: "x", count: 40))
        let reply = try await connection.reply()
        #expect(errorReason(reply) == "request_too_large")
        #expect(reply["error"]?["code"] == 103)
        #expect(reply["error"]?["data"]?["max_bytes"] == 64)
        #expect(reply["id"] == .null)
        try await connection.channel.closeFuture.get()
        try await connection.finish()
    }

    @Test func closesARequestLineStillIncompleteAtTheRequestTimeout() async throws {
        let connection = try await TestConnection()
        let loop = connection.channel.testingEventLoop
        try await connection.send(#"{"jsonrpc":"2.0","method":"echo","id":1}"# + "\n")
        #expect(try await connection.reply()["id"] == 1)
        // A byte every 10 s keeps the connection from being idle, but the line is not whole after 30 s.
        for byte in [#"{"#, #"""#, "j"] {
            try await connection.send(byte)
            await loop.advanceTime(by: .seconds(9))
        }
        #expect(connection.channel.isActive)
        await loop.advanceTime(by: .seconds(4))
        let notice = try await connection.closingNotice()
        #expect(errorReason(notice) == "idle_timeout")
        #expect(notice["error"]?["data"]?["request_timeout_s"] == 30)
    }

    @Test func closesIdleConnections() async throws {
        // A request timeout longer than the test, so that only the idle timeout closes the half-sent line.
        let connection = try await TestConnection(
            configuration: RPCServer.Configuration(socketPath: "/unused", requestTimeout: .seconds(3600)))
        let loop = connection.channel.testingEventLoop
        await loop.advanceTime(by: .seconds(299))
        try await connection.send(#"{"jsonrpc":"2.0","method":"echo","id":1}"# + "\n")
        #expect(try await connection.reply()["id"] == 1)
        await loop.advanceTime(by: .seconds(299))
        try await connection.send(#"{"jsonrpc":"2.0","me"#)
        await loop.advanceTime(by: .seconds(299))
        #expect(connection.channel.isActive)
        await loop.advanceTime(by: .seconds(2))
        let notice = try await connection.closingNotice()
        #expect(errorReason(notice) == "idle_timeout")
        #expect(notice["error"]?["data"]?["idle_timeout_s"] == 300)
    }

    @Test func requestsInFlightAndSubscriptionsKeepTheConnectionOpen() async throws {
        let connection = try await TestConnection()
        let loop = connection.channel.testingEventLoop
        try await connection.send(#"{"jsonrpc":"2.0","method":"wait","params":{"key":"k"},"id":1}"# + "\n")
        try await eventually { await connection.service.gate.waiterCount("k") == 1 }
        await loop.advanceTime(by: .seconds(3600))
        #expect(connection.channel.isActive)
        await connection.service.gate.open("k")
        #expect(try await connection.reply()["id"] == 1)

        try await connection.send(#"{"jsonrpc":"2.0","method":"subscribe","params":{"count":2},"id":2}"# + "\n")
        var lines: [JSONValue] = []
        for _ in 0..<3 {
            lines.append(try await connection.reply())
        }
        #expect(lines.contains(["jsonrpc": "2.0", "result": ["subscribed": true], "id": 2]))
        #expect(lines.filter { $0["method"] == "event" }.compactMap { $0["params"]?["index"] } == [0, 1])
        await loop.advanceTime(by: .seconds(3600))
        #expect(connection.channel.isActive)
        try await connection.finish()
        try await eventually { await connection.service.recorder.events == ["subscriber saw close"] }
    }

    @Test func shutdownDrainsThenCloses() async throws {
        let connection = try await TestConnection()
        try await connection.send(#"{"jsonrpc":"2.0","method":"wait","params":{"key":"k"},"id":1}"# + "\n")
        try await eventually { await connection.service.gate.waiterCount("k") == 1 }
        try await connection.trigger(.beginShutdown)
        try await connection.send(#"{"jsonrpc":"2.0","method":"echo","id":2}"# + "\n")
        let refused = try await connection.reply()
        #expect(refused["id"] == 2)
        #expect(errorReason(refused) == "shutting_down")
        #expect(refused["error"]?["code"] == 101)
        await connection.service.gate.open("k")
        #expect(try await connection.reply() == ["jsonrpc": "2.0", "result": "k", "id": 1])
        let notice = try await connection.reply()
        #expect(errorReason(notice) == "shutting_down")
        #expect(notice["id"] == .null)
        try await connection.channel.closeFuture.get()
        try await connection.finish()
    }

    @Test func shutdownGracePeriodCancelsStuckRequests() async throws {
        let connection = try await TestConnection()
        try await connection.send(#"{"jsonrpc":"2.0","method":"hang","id":1}"# + "\n")
        try await eventually { await connection.service.recorder.events == ["hang started"] }
        try await connection.trigger(.beginShutdown)
        await connection.channel.testingEventLoop.advanceTime(by: .seconds(9))
        #expect(connection.channel.isActive)
        await connection.channel.testingEventLoop.advanceTime(by: .seconds(1))
        #expect(errorReason(try await connection.reply()) == "shutting_down")
        try await connection.channel.closeFuture.get()
        try await connection.finish()
        #expect(await connection.service.recorder.events == ["hang started", "hang cancelled"])
    }

    @Test func halfClosedClientsStillGetTheirReplies() async throws {
        let connection = try await TestConnection()
        try await connection.send(#"{"jsonrpc":"2.0","method":"sleep","params":{"ms":50},"id":1}"# + "\n")
        try await connection.channel.testingEventLoop.executeInContext {
            connection.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        }
        #expect(try await connection.reply() == ["jsonrpc": "2.0", "result": "slept", "id": 1])
        try await connection.channel.closeFuture.get()
        try await connection.finish()
    }

    @Test func refusedConnectionsGetOneNotice() async throws {
        let connection = try await TestConnection()
        try await connection.trigger(.refuse(.tooManyConnections))
        let notice = try await connection.reply()
        #expect(errorReason(notice) == "too_many_connections")
        #expect(notice["error"]?["data"]?["max_connections"] == 1024)
        try await connection.channel.closeFuture.get()
        try await connection.finish()
    }
}
