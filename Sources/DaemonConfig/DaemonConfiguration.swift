import BOLT11
import Rates
import Store

/// Everything `t4gd` is configured with: the TOML file (`Config/t4gd.toml` documents every key and default),
/// then command-line flags on top.
package struct DaemonConfiguration: Sendable {
    /// Which Lightning backend drives the daemon.
    package enum BackendKind: String, Sendable, CaseIterable {
        case dev, lnd, lnbits
    }

    /// Log output format.
    package enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    /// Roles of the RPC contract, from least to most powerful.
    package enum Role: String, Sendable, CaseIterable, Comparable {
        case readonly, invoice, admin

        package static func < (lhs: Role, rhs: Role) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// `daemon.data_dir` (`--data-dir`): the store, seed, lock and, by default, the socket live here.
    package var dataDirectory = "./data"
    /// `daemon.backup_dir`: the only directory `daemon.backup` writes in (default ``resolvedBackupDirectory``).
    package var backupDirectory: String?
    /// `daemon.network` (`--network`): the Lightning network every invoice and payment must be on.
    package var network = Network.regtest
    /// `daemon.backend` (`--backend`): the Lightning backend, configured by its own section.
    package var backend = BackendKind.dev
    /// Deadline of every backend request (`lnd.timeout_s` or `lnbits.timeout_s`).
    package var backendTimeoutSeconds: Int64 = 10

    /// `[rpc]`: the socket and its limits.
    package var rpc = RPCConfiguration()
    /// `[roles]` and `[rate_limits]`: who may call what, how often.
    package var access = AccessConfiguration()
    /// `[store]`: where the store lives and how it syncs.
    package var store = StoreConfiguration()
    /// `[dev]`: the embedded dev backend.
    package var dev = DevConfiguration()
    /// `[lnd]`: an LND node.
    package var lnd = LNDConfiguration()
    /// `[lnbits]`: an LNbits wallet.
    package var lnbits = LNbitsConfiguration()
    /// `[payments]`: payment deadlines and reconciliation.
    package var payments = PaymentsConfiguration()
    /// `[proofs]`: proof issuers trusted besides this daemon.
    package var proofs = ProofsConfiguration()
    /// `[metrics]`: the operations HTTP listener.
    package var metrics = MetricsListenerConfiguration()
    /// `[log]`: level and format.
    package var log = LogConfiguration()
    /// `[rates]`: fiat price sources; none by default.
    package var rates = RatesConfiguration()

    /// The defaults: dev backend, regtest, data in `./data`.
    package init() {}

    /// The socket, by default `DATA_DIR/t4gd.sock`.
    package var resolvedSocketPath: String { rpc.socketPath ?? dataDirectory + "/t4gd.sock" }
    /// The store, by default `DATA_DIR/t4gd.sqlite`.
    package var resolvedStorePath: String { store.path ?? dataDirectory + "/t4gd.sqlite" }
    /// Where the store lives: `store.url`, else the SQLite file ``resolvedStorePath``.
    package var resolvedStoreLocation: StoreLocation { store.location ?? .sqlite(path: resolvedStorePath) }
    /// The dev ledger, by default `DATA_DIR/dev-ledger.sqlite` (a network of one).
    package var resolvedDevLedgerPath: String { dev.ledgerPath ?? dataDirectory + "/dev-ledger.sqlite" }
    /// Where `daemon.backup` writes, by default `DATA_DIR/backups`.
    package var resolvedBackupDirectory: String { backupDirectory ?? dataDirectory + "/backups" }
    /// The seed file, always `DATA_DIR/seed`.
    package var seedPath: String { dataDirectory + "/seed" }
}
