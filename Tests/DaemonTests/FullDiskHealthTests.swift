import Foundation
import JSONRPC
import TestSupport
import Testing

/// The store on a real, small tmpfs that the test fills: once writes fail, `daemon.health` says the store is
/// `degraded` (not ready); once space is back, a probe write succeeds and it is `ok` again.
@Suite struct FullDiskHealthTests {
    /// `daemon.health`'s store component status and error, polled until `done` holds (at most 20 s).
    static func storeHealth(
        _ daemon: DaemonProcess, until done: (String) -> Bool
    ) async throws -> (status: String, error: String, overall: JSONValue) {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let health = try await daemon.call("daemon.health")
            let store = health["components"]?["store"]
            let status = store?.string("status") ?? ""
            if done(status) || ContinuousClock.now >= deadline {
                return (status, store?.string("error") ?? "", health)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Fills the file system holding `path` with one file at `path`, until a write fails.
    static func fill(_ path: String) {
        guard let file = fopen(path, "w") else { return }
        defer { fclose(file) }
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        while fwrite(chunk, 1, chunk.count, file) == chunk.count, fflush(file) == 0 {}
        let byte: [UInt8] = [0x61]
        while fwrite(byte, 1, 1, file) == 1, fflush(file) == 0 {}
    }

    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root (CI runs as root)"), .timeLimit(.minutes(3)))
    func aFullDiskMakesTheStoreDegradedUntilWritesSucceedAgain() async throws {
        let scripts = TemporaryDirectory()
        let disk = TemporaryDirectory()
        try await Services.run(
            "-c", ["mount -t tmpfs -o size=3m,mode=0700 t4gtest \"$1\"", "mount", disk.path], in: scripts)
        defer {
            umount2(disk.path, Int32(MNT_DETACH))
            disk.remove()
            scripts.remove()
        }
        try await DevNetwork.run { network in
            let daemon = try await network.daemon(extra: "[store]\nurl = \"sqlite:\(disk.file("t4gd.sqlite"))\"")
            let healthy = try await Self.storeHealth(daemon) { $0 == "ok" }
            #expect(healthy.status == "ok")

            let filler = disk.file("filler")
            Self.fill(filler)
            let metadata: JSONValue = ["pad": .string(String(repeating: "x", count: 16_000))]
            var failedWrite: RPCError?
            for index in 0..<100 where failedWrite == nil {
                failedWrite = try await daemon.error(
                    "invoice.create",
                    ["amount_msat": 1000, "description": .string("full \(index)"), "metadata": metadata])
            }
            #expect(failedWrite != nil, "no write failed on the full file system")

            let full = try await Self.storeHealth(daemon) { $0 == "degraded" }
            #expect(full.status == "degraded")
            #expect(full.error.contains("writes fail"))
            #expect(full.overall.string("status") == "degraded")
            #expect(full.overall["ready"] == .bool(false))

            unlink(filler)
            let recovered = try await Self.storeHealth(daemon) { $0 == "ok" }
            #expect(recovered.status == "ok")
            #expect(recovered.overall.string("status") == "ok")
            _ = try await daemon.call("invoice.create", ["amount_msat": 1000, "description": "after"])
            #expect(daemon.isRunning)
        }
    }
}
