import BOLT11
import DevBackend
import Foundation
import LNbitsBackend
import Lightning
import Logging
import Rates
import Secp256k1
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

    package var dataDirectory = "./data"
    /// `daemon.backup_dir`: the only directory `daemon.backup` writes in (default ``resolvedBackupDirectory``).
    package var backupDirectory: String?
    package var network = Network.regtest
    package var backend = BackendKind.dev

    package var socketPath: String?
    package var socketMode: UInt16 = 0o660
    package var socketGroup: UInt32?
    package var maxLineBytes = 1 << 20
    package var maxBatch = 100
    package var maxConnections = 1024
    package var maxInFlightPerConnection = 64
    package var maxInFlight = 1024
    package var idleTimeoutSeconds: Int64 = 300
    package var requestTimeoutSeconds: Int64 = 30
    package var shutdownGraceSeconds: Int64 = 10

    /// Role of each uid; the daemon's own uid and root are `admin` unless mapped otherwise.
    package var roleByUID: [UInt32: Role] = [:]
    /// Role of each gid (primary or supplementary), used when the uid is not mapped.
    package var roleByGID: [UInt32: Role] = [:]
    /// Request rate limit per caller of each role; a role without an entry is not limited.
    package var rateLimits = DaemonConfiguration.defaultRateLimits

    package var storePath: String?
    /// `store.url`: a PostgreSQL database, or a SQLite file; `nil` is the SQLite file ``resolvedStorePath``.
    package var storeLocation: StoreLocation?
    /// `store.ca_file`: the CA certificates a `verify-full` PostgreSQL server's certificate must chain to.
    package var storeCAFile: String?
    /// `store.instance`: this instance's stable name among those sharing a store (default: `DATA_DIR/instance`).
    package var instanceName: String?
    package var storeFullSync = true

    package var devLedgerPath: String?
    package var devStartingBalance = MilliSatoshi(1_000_000_000)
    package var devFeeBase = MilliSatoshi(1_000)
    package var devFeeProportionalMillionths: Int64 = 1_000
    package var devAlias = "t4gd-dev"
    /// `dev.payment_latency`: how long a dev payment stays in flight.
    package var devPaymentLatency = DevPaymentLatency.none

    /// Issuers whose proofs `proof.verify` reports as trusted, besides this daemon's own identity.
    package var trustedIssuers: [XOnlyPublicKey] = []

    package var lndRESTURL: String?
    package var lndTLSCertPath: String?
    package var lndMacaroonPath: String?
    /// `lnd.private_invoices`: invoices carry route hints to private channels.
    package var lndPrivateInvoices = true
    /// `lnd.max_connections`: connections kept to LND for unary calls.
    package var lndMaxConnections: Int64 = 8
    /// `lnd.max_streams`: connections kept to LND for streams (payments in flight, the invoice subscription).
    package var lndMaxStreams: Int64 = 64
    /// `lnd.subscription_idle_s`: the invoice subscription is reopened after this long without a message.
    package var lndSubscriptionIdleSeconds: Int64 = 60
    package var lnbitsURL: String?
    /// LNbits invoice/read key (receive, read). Secret: never logged.
    package var lnbitsInvoiceKey: String?
    /// LNbits admin key (pay). Secret: never logged. Without it `payment.send` is refused by LNbits.
    package var lnbitsAdminKey: String?
    /// Follow LNbits' WebSocket push channel for settlements (polling stays the fallback).
    package var lnbitsPush = true
    /// How often LNbits is polled for settlements, push or not.
    package var lnbitsPollIntervalSeconds: Int64 = 2
    /// `lnbits.own_invoice_check`: whether paying also asks LNbits if the invoice is the wallet's own.
    package var lnbitsOwnInvoiceCheck = LNbitsBackend.Configuration.OwnInvoiceCheck.store
    /// Deadline of every backend request.
    package var backendTimeoutSeconds: Int64 = 10

    package var paymentTimeoutSeconds: Int64 = 60
    package var reconcileIntervalSeconds: Int64 = 5

    /// Whether the operations HTTP listener (`/metrics`, `/health/live`, `/health/ready`) runs.
    package var metricsEnabled = true
    /// Where the operations HTTP listener binds: an IP literal, loopback by default.
    package var metricsAddress = "127.0.0.1"
    /// The operations listener's TCP port; 0 picks a free port (logged at start).
    package var metricsPort = 9464

    package var logLevel = Logger.Level.info
    package var logFormat = LogFormat.text
    /// `[rates]`: fiat price sources; none by default.
    package var rates = RatesConfiguration()

    /// The defaults: dev backend, regtest, data in `./data`.
    package init() {}

    /// The socket, by default `DATA_DIR/t4gd.sock`.
    package var resolvedSocketPath: String { socketPath ?? dataDirectory + "/t4gd.sock" }
    /// The store, by default `DATA_DIR/t4gd.sqlite`.
    package var resolvedStorePath: String { storePath ?? dataDirectory + "/t4gd.sqlite" }
    /// Where the store lives: `store.url`, else the SQLite file ``resolvedStorePath``.
    package var resolvedStoreLocation: StoreLocation { storeLocation ?? .sqlite(path: resolvedStorePath) }
    /// The dev ledger, by default `DATA_DIR/dev-ledger.sqlite` (a network of one).
    package var resolvedDevLedgerPath: String { devLedgerPath ?? dataDirectory + "/dev-ledger.sqlite" }
    /// Where `daemon.backup` writes, by default `DATA_DIR/backups`.
    package var resolvedBackupDirectory: String { backupDirectory ?? dataDirectory + "/backups" }
    /// The seed file, always `DATA_DIR/seed`.
    package var seedPath: String { dataDirectory + "/seed" }

    /// The role of a peer: its uid's mapping, else the highest role mapped to its gid or to any group `groups`
    /// lists (the supplementary groups of its user, read only when some gid is mapped), else admin for root and the
    /// daemon's own uid. `groups` is required so that no caller forgets supplementary groups (pass
    /// `GroupMembership.groups(of:)`).
    package func role(uid: UInt32, gid: UInt32, groups: () -> [UInt32]) -> Role? {
        if let role = roleByUID[uid] { return role }
        if !roleByGID.isEmpty, let role = ([gid] + groups()).compactMap({ roleByGID[$0] }).max() { return role }
        if uid == 0 || uid == getuid() { return .admin }
        return nil
    }
}
