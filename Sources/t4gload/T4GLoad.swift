import ArgumentParser
import Foundation
import JSONRPC
import RPCClient
import RPCWire

/// `t4gload`: drives a t4gd socket with many concurrent clients and a mixed workload for a bounded time.
@main
struct T4GLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "t4gload",
        abstract: "Load a t4gd daemon through its JSON-RPC socket and report what it did.",
        discussion: """
            Each client is one connection sending one request at a time, chosen from --mix by weight; after an \
            error carrying retry_after_s (overloaded, rate_limited) it waits that long. Meanwhile a separate \
            connection, on a thread of its own, calls daemon.health every --health-interval-ms, and the daemon's resident memory \
            is sampled when --pid is given. Exits 1 when an error outside --allow occurred, when a health probe \
            took longer than --max-health-ms, or when the peak RSS passed --max-rss-mb.
            """
    )

    @Option(help: "The daemon's socket.") var socket: String
    @Option(help: "Concurrent clients (connections).") var clients = 16
    @Option(help: "Seconds to run.") var duration = 10.0
    @Option(help: "Operations and weights: \(Workload.names.joined(separator: ", ")), e.g. daemon.info=4,pay=1.")
    var mix = "daemon.info"
    @Option(name: .customLong("payee-socket"), help: "A daemon on the same dev network that issues invoices to pay.")
    var payeeSocket: String?
    @Option(help: "The daemon's process id, to sample its resident memory.") var pid: Int32?
    @Option(name: .customLong("health-interval-ms"), help: "How often to probe daemon.health.")
    var healthIntervalMilliseconds = 100
    @Option(name: .customLong("max-health-ms"), help: "Fail when a health probe takes longer.")
    var maxHealthMilliseconds = 100.0
    @Option(name: .customLong("max-rss-mb"), help: "Fail when the daemon's peak RSS (MiB) is higher.")
    var maxRSSMegabytes: Double?
    @Option(help: "Error reasons that do not fail the run (comma-separated).") var allow = "overloaded,rate_limited"
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        guard clients > 0, duration > 0, healthIntervalMilliseconds > 0 else {
            throw ValidationError("--clients, --duration and --health-interval-ms must be positive")
        }
    }

    func run() async throws {
        let operations: [Operation]
        do {
            operations = try Workload.parse(mix, hasPayee: payeeSocket != nil)
        } catch {
            throw ValidationError("\(error)")
        }
        let report = try await drive(operations)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
        let failures = verdict(report)
        for failure in failures { FileHandle.standardError.write(Data("t4gload: \(failure)\n".utf8)) }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    private func drive(_ operations: [Operation]) async throws -> LoadReport {
        let deadline = ContinuousClock.now + .milliseconds(Int(duration * 1000))
        let probe = HealthProbe(socket: socket, interval: .milliseconds(healthIntervalMilliseconds))
        let healthTask = Task { await probe.run() }
        let processTask = pid.map { pid in Task { await ProcessSampler(pid: pid, interval: .milliseconds(100)).run() } }
        let start = ContinuousClock.now
        let tallies = await withTaskGroup(of: ClientTally.self) { group in
            for index in 0..<clients {
                group.addTask {
                    await runClient(index: index, operations: operations, until: deadline)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - start
        healthTask.cancel()
        processTask?.cancel()
        return LoadReport(
            clients: clients, elapsed: elapsed, tallies: tallies, health: await healthTask.value,
            process: await processTask?.value)
    }

    /// One client: connects, then sends requests back to back until the deadline; reconnects if the
    /// daemon closed its connection.
    private func runClient(index: Int, operations: [Operation], until deadline: ContinuousClock.Instant) async
        -> ClientTally
    {
        var tally = ClientTally()
        let picker = Workload.Picker(operations: operations)
        var pair: ClientPair?
        var sequence = 0
        while ContinuousClock.now < deadline {
            let start = ContinuousClock.now
            do {
                if pair == nil { pair = try await connect() }
                guard let connected = pair else { break }
                sequence += 1
                try await picker.next().run(connected, index * 1_000_000 + sequence)
                tally.record(start, error: nil)
            } catch {
                tally.record(start, error: error)
                if let error = error as? RPCServerError, error.code == .connectionClosed || error.code == .connectFailed
                {
                    await pair?.daemon.close()
                    await pair?.payee?.close()
                    pair = nil
                    try? await Task.sleep(for: .milliseconds(10))
                } else if let wait = (error as? RPCError)?.retryAfterSeconds {
                    // Back-pressure (`overloaded`, `rate_limited`): come back when the daemon said to.
                    try? await Task.sleep(until: min(ContinuousClock.now + .seconds(wait), deadline))
                }
            }
        }
        await pair?.daemon.close()
        await pair?.payee?.close()
        return tally
    }

    private func connect() async throws -> ClientPair {
        let daemon = try await RPCClient.connect(unixDomainSocketPath: socket)
        guard let payeeSocket else { return ClientPair(daemon: daemon, payee: nil) }
        return ClientPair(daemon: daemon, payee: try await RPCClient.connect(unixDomainSocketPath: payeeSocket))
    }

    /// Why the run failed its limits; empty when it passed.
    private func verdict(_ report: LoadReport) -> [String] {
        var failures: [String] = []
        let allowed = Set(allow.split(separator: ",").map(String.init))
        for (reason, count) in report.unexpectedErrors(allowed: allowed).sorted(by: { $0.key < $1.key }) {
            failures.append("\(count) errors '\(reason)' (not in --allow)")
        }
        if report.healthProbes == 0 || report.healthProbeFailures > 0 {
            failures.append("daemon.health failed \(report.healthProbeFailures) times in \(report.healthProbes) probes")
        }
        if report.healthMaxMilliseconds > maxHealthMilliseconds {
            failures.append("daemon.health took \(report.healthMaxMilliseconds) ms (limit \(maxHealthMilliseconds) ms)")
        }
        if let limit = maxRSSMegabytes, let peak = report.peakRSSMegabytes, peak > limit {
            failures.append("peak RSS \(peak) MiB is above \(limit) MiB")
        }
        return failures
    }
}
