import Foundation
import GRDB
import JSONRPC
import RPCClient

/// A real `t4gd` process for end-to-end tests: its own data directory under /tmp, the embedded dev backend,
/// a socket to call through, and its operations listener on a free loopback port. Stop it with ``stop()`` (SIGTERM, graceful) or ``kill()`` (SIGKILL).
public final class DaemonProcess: Sendable {
    public let directory: TemporaryDirectory
    public let socketPath: String
    public let configPath: String
    private let process: ChildProcess
    private let arguments: [String]

    /// Starts `t4gd` with `config` (TOML text, written with `configMode`) on `directory` (made owner-only, as t4gd
    /// requires of its data directory) and waits until its socket answers `daemon.info`. The seed it creates is recorded for the run's secret scan (``TestRun``).
    public init(
        directory: TemporaryDirectory = TemporaryDirectory(), config: String = "", configMode: mode_t = 0o600,
        extraArguments: [String] = [], environment: [String: String] = [:]
    ) async throws {
        self.directory = directory
        chmod(directory.path, 0o700)
        socketPath = directory.file("t4gd.sock")
        configPath = directory.file("t4gd.toml")
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        chmod(configPath, configMode)
        arguments =
            [
                "--config", configPath, "--data-dir", directory.path, "--log-level", "debug", "--metrics-listen",
                "127.0.0.1:0",
            ]
            + extraArguments
        process = try Self.launch(arguments, environment: environment, log: directory.file("t4gd.log"))
        try await waitUntilReady()
        if let seed = FileManager.default.contents(atPath: directory.file("seed")) {
            TestRun.recordSecret([UInt8](seed), kind: "seed")
        }
    }

    private static func launch(_ arguments: [String], environment: [String: String], log: String) throws
        -> ChildProcess
    {
        try ChildProcess(
            productsDirectory.appendingPathComponent("t4gd").path, arguments, environment: environment,
            standardOutput: .file(log), standardError: .standardOutput)
    }

    /// The folder holding the built products (`t4gd`, `t4gctl`), beside the test bundle.
    public static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    private func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw DaemonProcessError(message: "t4gd exited with \(process.terminationStatus): \(log)")
            }
            if let client = try? await RPCClient.connect(unixDomainSocketPath: socketPath) {
                let answered = (try? await client.call("daemon.info")) != nil
                await client.close()
                if answered {
                    await waitForReconciliation(until: min(deadline, ContinuousClock.now + .seconds(5)))
                    return
                }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DaemonProcessError(message: "t4gd did not answer within 30 s: \(log)")
    }

    /// Waits (until `deadline` at most) for start-up reconciliation, after which `payment.send` is accepted;
    /// a daemon that cannot reconcile (its backend is down) is left as it is.
    private func waitForReconciliation(until deadline: ContinuousClock.Instant) async {
        while ContinuousClock.now < deadline {
            let health = try? await call("daemon.health")
            if health?["components"]?["reconciliation"]?["status"]?.stringValue == "ok" { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A new connection to the daemon.
    public func client() async throws -> RPCClient {
        try await RPCClient.connect(unixDomainSocketPath: socketPath)
    }

    /// Calls one method on a fresh connection.
    public func call(_ method: String, _ params: JSONObject = [:]) async throws -> JSONValue {
        let client = try await client()
        defer { Task { await client.close() } }
        return try await client.call(method, params: params)
    }

    /// The error a call fails with, or `nil` when it succeeds.
    public func error(_ method: String, _ params: JSONObject = [:]) async throws -> RPCError? {
        do {
            _ = try await call(method, params)
            return nil
        } catch let error as RPCError {
            return error
        }
    }

    /// The port of the operations listener (`/metrics`, `/health/*`), read from the daemon's log.
    public func metricsPort() async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let line = log.split(separator: "\n").first { $0.contains("operations listener ready") }
            if let line, let field = line.split(separator: " ").first(where: { $0.hasPrefix("listen=") }),
                let port = field.split(separator: ":").last.flatMap({ Int($0) })
            {
                return port
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DaemonProcessError(message: "no operations listener in the log: \(log)")
    }

    /// The daemon's log so far.
    public var log: String { (try? String(contentsOfFile: directory.file("t4gd.log"), encoding: .utf8)) ?? "" }

    /// The daemon's process id.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Whether the process still runs.
    public var isRunning: Bool { process.isRunning }

    /// SIGTERM and wait for the exit status.
    @discardableResult
    public func stop() async -> Int32 {
        process.terminate()
        let status = await waitForExit()
        recordUnpaidPreimages()
        return status
    }

    /// SIGKILL, as a crash would.
    public func kill() async {
        process.send(SIGKILL)
        _ = await waitForExit()
        recordUnpaidPreimages()
    }

    /// Records for the run's secret scan the preimages of the dev ledger's invoices that are not paid: no log
    /// may show them.
    private func recordUnpaidPreimages() {
        guard TestRun.directory != nil, FileManager.default.fileExists(atPath: devLedgerPath) else { return }
        var configuration = Configuration()
        configuration.readonly = true
        let preimages = try? DatabaseQueue(path: devLedgerPath, configuration: configuration).read { database in
            try String.fetchAll(database, sql: "SELECT preimage FROM invoices WHERE status != 'paid'")
        }
        for preimage in preimages ?? [] { TestRun.recordSecret(text: preimage, kind: "unpaid preimage") }
    }

    /// The dev ledger: the config's `ledger = "..."`, else the default in the data directory.
    private var devLedgerPath: String {
        let config = (try? String(contentsOfFile: configPath, encoding: .utf8)) ?? ""
        let match = config.firstMatch(of: /ledger = "([^"]+)"/)
        return match.map { String($0.output.1) } ?? directory.file("dev-ledger.sqlite")
    }

    /// Waits for the process to end (at most 30 s) and returns its status.
    public func waitForExit() async -> Int32 {
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return process.isRunning ? -1 : process.terminationStatus
    }

    /// Starts the same daemon again (same data and config) after a stop or a kill, with `environment`.
    public func restarted(environment: [String: String] = [:]) async throws -> DaemonProcess {
        try await DaemonProcess(
            directory: directory, config: try String(contentsOfFile: configPath, encoding: .utf8),
            environment: environment)
    }
}

/// A daemon that did not start or answer.
public struct DaemonProcessError: Error, CustomStringConvertible {
    public let message: String

    /// Creates an error.
    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
