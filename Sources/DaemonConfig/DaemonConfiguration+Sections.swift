import DevBackend
import LNbitsBackend
import Lightning
import Logging
import Secp256k1
import Store

/// `[rpc]`: the socket, who may reach it, and the limits that keep one client from starving the others.
package struct RPCConfiguration: Sendable {
    /// `rpc.socket`; `nil` is `DATA_DIR/t4gd.sock` (``DaemonConfiguration/resolvedSocketPath``).
    package var socketPath: String?
    /// `rpc.socket_mode`: the socket file's permissions.
    package var socketMode: UInt16 = 0o660
    /// `rpc.socket_group`: the socket file's group (by id), so its members can connect.
    package var socketGroup: UInt32?
    /// `rpc.max_line_bytes`: the longest request line.
    package var maxLineBytes = 1 << 20
    /// `rpc.max_batch`: the most requests in one batch.
    package var maxBatch = 100
    /// `rpc.max_connections`: connections served at once.
    package var maxConnections = 1024
    /// `rpc.max_in_flight_per_connection`: requests running at once on one connection.
    package var maxInFlightPerConnection = 64
    /// `rpc.max_in_flight`: requests running at once in the daemon.
    package var maxInFlight = 1024
    /// `rpc.idle_timeout_s`: a connection idle this long (nothing in flight, no subscription) is closed.
    package var idleTimeoutSeconds: Int64 = 300
    /// `rpc.request_timeout_s`: the longest one request line may take to arrive whole.
    package var requestTimeoutSeconds: Int64 = 30
    /// `rpc.shutdown_grace_s`: how long a stop waits for requests in flight.
    package var shutdownGraceSeconds: Int64 = 10

    /// The defaults.
    package init() {}
}

/// `[store]`: where the store lives and how it syncs.
package struct StoreConfiguration: Sendable {
    /// `store.path`: the SQLite file; `nil` is `DATA_DIR/t4gd.sqlite`.
    package var path: String?
    /// `store.url`: a PostgreSQL database, or a SQLite file; `nil` is the SQLite file ``path``.
    package var location: StoreLocation?
    /// `store.ca_file`: the CA certificates a `verify-full` PostgreSQL server's certificate must chain to.
    package var caFile: String?
    /// `store.instance`: this instance's stable name among those sharing a store (default: `DATA_DIR/instance`).
    package var instanceName: String?
    /// `store.full_sync`: fsync on every commit.
    package var fullSync = true

    /// The defaults.
    package init() {}
}

/// `[dev]`: the embedded dev backend (a network of one, or of the daemons sharing its ledger).
package struct DevConfiguration: Sendable {
    /// `dev.ledger`; `nil` is `DATA_DIR/dev-ledger.sqlite`.
    package var ledgerPath: String?
    /// `dev.starting_balance_msat`: the node's balance in a new ledger.
    package var startingBalance = MilliSatoshi(1_000_000_000)
    /// `dev.fee_base_msat`: the base fee of every dev payment.
    package var feeBase = MilliSatoshi(1_000)
    /// `dev.fee_ppm`: the proportional fee of every dev payment.
    package var feeProportionalMillionths: Int64 = 1_000
    /// `dev.alias`: the node's alias in `node.info`.
    package var alias = "t4gd-dev"
    /// `dev.payment_latency`: how long a dev payment stays in flight.
    package var paymentLatency = DevPaymentLatency.none

    /// The defaults.
    package init() {}
}

/// `[lnd]`: an LND node over REST.
package struct LNDConfiguration: Sendable {
    /// `lnd.rest_url`: LND's REST endpoint (required with `daemon.backend = "lnd"`).
    package var restURL: String?
    /// `lnd.tls_cert_path`: LND's TLS certificate (required).
    package var tlsCertPath: String?
    /// `lnd.macaroon_path`: the macaroon t4gd presents (required; never world-readable).
    package var macaroonPath: String?
    /// `lnd.private_invoices`: invoices carry route hints to private channels.
    package var privateInvoices = true
    /// `lnd.max_connections`: connections kept to LND for unary calls.
    package var maxConnections: Int64 = 8
    /// `lnd.max_streams`: connections kept to LND for streams (payments in flight, the invoice subscription).
    package var maxStreams: Int64 = 64
    /// `lnd.subscription_idle_s`: the invoice subscription is reopened after this long without a message.
    package var subscriptionIdleSeconds: Int64 = 60

    /// The defaults.
    package init() {}
}

/// `[lnbits]`: an LNbits wallet.
package struct LNbitsConfiguration: Sendable {
    /// `lnbits.url`: the LNbits server (required with `daemon.backend = "lnbits"`).
    package var url: String?
    /// LNbits invoice/read key (receive, read). Secret: never logged.
    package var invoiceKey: String?
    /// LNbits admin key (pay). Secret: never logged. Without it `payment.send` is refused by LNbits.
    package var adminKey: String?
    /// Follow LNbits' WebSocket push channel for settlements (polling stays the fallback).
    package var push = true
    /// How often LNbits is polled for settlements, push or not.
    package var pollIntervalSeconds: Int64 = 2
    /// `lnbits.own_invoice_check`: whether paying also asks LNbits if the invoice is the wallet's own.
    package var ownInvoiceCheck = LNbitsBackend.Configuration.OwnInvoiceCheck.store

    /// The defaults.
    package init() {}
}

/// `[payments]`: how long `payment.send` waits by default, and how often pending payments are reconciled.
package struct PaymentsConfiguration: Sendable {
    /// `payments.timeout_s`: how long `payment.send` waits when the caller gives no `timeout_s`.
    package var timeoutSeconds: Int64 = 60
    /// `payments.reconcile_interval_s`: how often pending payments are asked about.
    package var reconcileIntervalSeconds: Int64 = 5

    /// The defaults.
    package init() {}
}

/// `[proofs]`: issuers whose proofs `proof.verify` reports as trusted, besides this daemon's own identity.
package struct ProofsConfiguration: Sendable {
    /// `proofs.trusted_issuers`: the x-only keys of the trusted issuers.
    package var trustedIssuers: [XOnlyPublicKey] = []

    /// The defaults.
    package init() {}
}

/// `[metrics]`: the operations HTTP listener (`/metrics`, `/health/live`, `/health/ready`).
package struct MetricsListenerConfiguration: Sendable {
    /// Whether the listener runs.
    package var enabled = true
    /// Where it binds: an IP literal, loopback by default.
    package var address = "127.0.0.1"
    /// Its TCP port; 0 picks a free port (logged at start).
    package var port = 9464

    /// The defaults.
    package init() {}
}

/// `[log]`: what the daemon logs, and how.
package struct LogConfiguration: Sendable {
    /// `log.level`: the lowest level written.
    package var level = Logger.Level.info
    /// `log.format`: text or JSON lines.
    package var format = DaemonConfiguration.LogFormat.text

    /// The defaults.
    package init() {}
}
