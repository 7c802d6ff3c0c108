import JSONRPC
import TestSupport

/// Daemons that share one dev ledger, so they can pay each other. ``run(_:)`` stops every daemon it
/// started and removes its files, whether the test body passes or throws.
final class DevNetwork: @unchecked Sendable {
    // @unchecked: `daemons` is only touched by the test task that owns the network.
    let directory = TemporaryDirectory()
    private var daemons: [DaemonProcess] = []

    static func run(_ body: (DevNetwork) async throws -> Void) async throws {
        let network = DevNetwork()
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
        adopt(
            try await DaemonProcess(
                config: config(startingBalanceMsat: startingBalanceMsat, extra: extra), environment: environment))
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
