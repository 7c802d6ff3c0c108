import Foundation
import JSONRPC
import TestSupport

/// Daemons that share one dev ledger, so they can pay each other. ``run(engine:_:)`` stops every daemon it
/// started and removes its files, whether the test body passes or throws.
///
/// With `engine` "postgres" each daemon keeps its store in a database of its own in the test process's
/// PostgreSQL cluster; ``instances(_:)`` starts several instances of one wallet on one database.
final class DevNetwork: @unchecked Sendable {
    // @unchecked: `daemons` is only touched by the test task that owns the network.
    let directory = TemporaryDirectory()
    let engine: String
    private var daemons: [DaemonProcess] = []

    init(engine: String) {
        self.engine = engine
    }

    static func run(engine: String = "sqlite", _ body: (DevNetwork) async throws -> Void) async throws {
        let network = DevNetwork(engine: engine)
        do {
            try await body(network)
        } catch {
            await network.shutdown()
            throw error
        }
        await network.shutdown()
    }

    private func shutdown() async {
        for daemon in daemons {
            await daemon.stop()
            daemon.directory.remove()
        }
        directory.remove()
    }

    var ledgerPath: String { directory.file("ledger.sqlite") }

    func config(startingBalanceMsat: Int64 = 1_000_000_000, extra: String = "") -> String {
        """
        [dev]
        ledger = "\(ledgerPath)"
        starting_balance_msat = \(startingBalanceMsat)
        fee_base_msat = 1000
        fee_ppm = 1000
        \(extra)
        """
    }

    func daemon(
        startingBalanceMsat: Int64 = 1_000_000_000, extra: String = "", environment: [String: String] = [:]
    ) async throws -> DaemonProcess {
        let store = engine == "postgres" ? Self.storeSection(try await PostgresServer.shared.database()) : ""
        return adopt(
            try await DaemonProcess(
                config: config(startingBalanceMsat: startingBalanceMsat, extra: extra + store),
                environment: environment))
    }

    /// `count` instances of one wallet: one PostgreSQL database, one seed, one dev ledger node; each its own
    /// data directory and socket.
    func instances(_ count: Int, extra: String = "", environment: [String: String] = [:]) async throws
        -> [DaemonProcess]
    {
        let config = config(extra: extra + Self.storeSection(try await PostgresServer.shared.database()))
        let first = adopt(try await DaemonProcess(config: config, environment: environment))
        var instances = [first]
        for _ in 1..<count {
            let directory = TemporaryDirectory()
            try FileManager.default.copyItem(atPath: first.directory.file("seed"), toPath: directory.file("seed"))
            instances.append(
                adopt(try await DaemonProcess(directory: directory, config: config, environment: environment)))
        }
        return instances
    }

    private static func storeSection(_ url: String) -> String {
        "\n[store]\nurl = \"\(url)\"\n"
    }

    /// Starts `daemon` again on its data after a stop or a kill, with `environment`.
    func restart(_ daemon: DaemonProcess, environment: [String: String] = [:]) async throws -> DaemonProcess {
        adopt(try await daemon.restarted(environment: environment))
    }

    /// Stops `daemon` with the network.
    @discardableResult
    func adopt(_ daemon: DaemonProcess) -> DaemonProcess {
        daemons.append(daemon)
        return daemon
    }
}

extension JSONValue {
    /// `self[key]` as a string, or "" (test convenience).
    func string(_ key: String) -> String { self[key]?.stringValue ?? "" }
    /// `self[key]` as an integer, or -1 (test convenience).
    func integer(_ key: String) -> Int64 { self[key]?.int64Value ?? -1 }
}
