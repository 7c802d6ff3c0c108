import JSONRPC
import TestSupport

/// Daemons that share one dev ledger, so they can pay each other.
struct DevNetwork {
    let directory = TemporaryDirectory()

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

    func daemon(startingBalanceMsat: Int64 = 1_000_000_000, extra: String = "") async throws -> DaemonProcess {
        try await DaemonProcess(config: config(startingBalanceMsat: startingBalanceMsat, extra: extra))
    }

    func remove() { directory.remove() }
}

extension JSONValue {
    /// `self[key]` as a string, or "" (test convenience).
    func string(_ key: String) -> String { self[key]?.stringValue ?? "" }
    /// `self[key]` as an integer, or -1 (test convenience).
    func integer(_ key: String) -> Int64 { self[key]?.int64Value ?? -1 }
}
