import ArgumentParser
import BOLT11
import Daemon
import DaemonConfig
import Foundation
import Logging
import Metrics
import Operations

/// `t4gd`: the t4gd Lightning payment daemon.
struct T4GD: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "t4gd",
        abstract: "Lightning payments and proof contracts over a JSON-RPC Unix socket.",
        discussion: """
            With no configuration t4gd runs on its embedded dev backend (network regtest), keeps its data in \
            ./data and listens on ./data/t4gd.sock. Flags override the configuration file.
            """
    )

    @Option(help: "Configuration file (TOML); see Config/t4gd.toml.") var config: String?
    @Option(name: .customLong("data-dir"), help: "Data directory (store, seed, default socket).") var dataDir: String?
    @Option(help: "RPC socket path.") var socket: String?
    @Option(help: "Network: regtest, signet, testnet or mainnet.") var network: String?
    @Option(help: "Backend: dev, lnd or lnbits.") var backend: String?
    @Option(name: .customLong("dev-ledger"), help: "Shared dev ledger file (dev backend).") var devLedger: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?
    @Option(name: .customLong("log-format"), help: "text or json.") var logFormat: String?
    @Option(
        name: .customLong("metrics-listen"),
        help: "IP:PORT of the /metrics and /health listener (default 127.0.0.1:9464; port 0 picks a free one).")
    var metricsListen: String?
    @Flag(name: .customLong("no-metrics"), help: "Do not start the /metrics and /health listener.")
    var noMetrics = false

    /// Parses the command line and runs the daemon; exits with the command's error, if any.
    static func parseAndRun() async {
        do {
            let command = try parse()
            try await command.run()
        } catch {
            exit(withError: error)
        }
    }

    func run() async throws {
        let configuration: DaemonConfiguration
        do {
            configuration = try loadConfiguration()
        } catch {
            FileHandle.standardError.write(Data("t4gd: \(error)\n".utf8))
            throw ExitCode(78)
        }
        DaemonLogging.bootstrap(level: configuration.log.level, format: configuration.log.format)
        let metrics = DaemonMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        let logger = Logger(label: "t4gd")
        do {
            try await T4GDaemon(configuration: configuration, logger: logger, metrics: metrics).run()
        } catch let refusal as StartRefusal {
            FileHandle.standardError.write(Data("t4gd: \(refusal)\n".utf8))
            throw ExitCode(78)
        } catch {
            logger.critical("t4gd cannot run: \(error)")
            throw ExitCode(1)
        }
    }

    private func loadConfiguration() throws -> DaemonConfiguration {
        var configuration = DaemonConfiguration()
        if let config {
            try ConfigurationFile.load(path: config, into: &configuration)
        }
        try ConfigurationFile.applyFlags(
            [
                ("daemon.data_dir", dataDir), ("rpc.socket", socket), ("daemon.network", network),
                ("daemon.backend", backend), ("dev.ledger", devLedger), ("log.level", logLevel),
                ("log.format", logFormat), ("metrics.listen", metricsListen),
            ], to: &configuration)
        if noMetrics { configuration.metrics.enabled = false }
        return configuration
    }
}
