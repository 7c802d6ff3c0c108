import Foundation
import JSONRPC
import TestSupport
import Testing

/// `t4gctl events --follow` with its stdout on a pipe, as under `| jq` or a log shipper.
@Suite struct EventsFollowCommandTests {
    /// Each event reaches the pipe as it happens, while t4gctl keeps following (stdout on a pipe is
    /// block-buffered: without a flush, the line would wait for 4 KiB or be lost when t4gctl is stopped).
    @Test(.timeLimit(.minutes(2)))
    func eachFollowedEventReachesAPipeAtOnce() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()
            let process = try ChildProcess(
                DaemonProcess.productsDirectory.appendingPathComponent("t4gctl").path,
                ["events", "--follow", "--json", "--socket", alice.socketPath], standardOutput: .pipe)
            defer {
                process.terminate()
                process.waitUntilExit()
            }
            let invoice = try await alice.call("invoice.create", ["amount_msat": 4_000, "description": "follow"])
            _ = try await bob.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
            let reader = try #require(process.standardOutput)
            let line = try await firstLine(of: reader, within: .seconds(10))
            let event = try JSONValue.parse(line)
            #expect(event.string("type") == "invoice.paid")
            #expect(event["data"]?.string("payment_hash") == invoice.string("payment_hash"))
            #expect(process.isRunning, "t4gctl still follows")
        }
    }

    /// The first line written to `reader`, read on a thread of its own (the read blocks).
    private func firstLine(of reader: FileHandle, within limit: Duration) async throws -> String {
        let collected = Collected()
        let thread = Thread {
            while !collected.hasLine {
                let chunk = reader.availableData
                if chunk.isEmpty { return }
                collected.append(chunk)
            }
        }
        thread.start()
        let deadline = ContinuousClock.now + limit
        while !collected.hasLine && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        return try #require(collected.line, "no line reached the pipe within \(limit)")
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes = Data()
        func append(_ data: Data) { lock.withLock { bytes.append(data) } }
        var line: String? {
            lock.withLock {
                guard let end = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                return String(decoding: bytes[..<end], as: UTF8.self)
            }
        }
        var hasLine: Bool { line != nil }
    }
}
