import BOLT11
import BackendHTTP
import Foundation
import Lightning
import Logging
import Synchronization

/// A Lightning backend that uses one LNbits (1.6) wallet through its REST API.
///
/// LNbits is a wallet, not a node: it has no channels, no node key and no settle index, takes no preimage and
/// cannot cancel an invoice. `settlements(after:)` follows LNbits' WebSocket push and polls the wallet's
/// paid invoices (see ``settlements(after:)`` for the index it defines). Lifecycle:
/// ``init(configuration:logger:)`` (no I/O), ``start()`` (checks the keys), the calls, ``shutdown()``; or
/// ``connect(configuration:logger:)``.
public final class LNbitsBackend: LightningBackend, StartableBackend {
    /// How to reach and use the wallet (`[lnbits]` in the configuration file).
    public struct Configuration: Sendable {
        /// Who refuses an invoice of the paying wallet itself. LNbits lets a wallet pay its own invoice (an
        /// internal payment: no money moves, the invoice is marked paid).
        public enum OwnInvoiceCheck: String, Sendable, CaseIterable {
            /// The daemon's invoice book only: invoices made through t4gd are refused before LNbits is called;
            /// one made on the wallet by other means is paid internally by LNbits. No extra request.
            case store
            /// Also asks LNbits (`GET /api/v1/payments/{hash}`) before paying an invoice it may have issued,
            /// and refuses one of this wallet's own whoever made it: one more LNbits request per payment.
            case lnbits
        }

        /// LNbits' base URL, e.g. `https://lnbits.example.com` or `http://127.0.0.1:5000`.
        public var baseURL: String
        /// The wallet's invoice/read key: creates invoices, reads the wallet.
        public var invoiceKey: String
        /// The wallet's admin key, needed to pay; without it `pay` fails with `unauthorized`.
        public var adminKey: String?
        /// The deadline of every call (a payment waits its own timeout instead).
        public var requestTimeout: Duration
        /// How often the settlement stream asks LNbits for newly paid invoices (also while push works).
        public var pollInterval: Duration
        /// Whether the settlement stream also listens on LNbits' WebSocket (`/api/v1/ws/{invoice key}`) and
        /// polls as soon as it reports a settlement.
        public var push: Bool
        /// How long the push channel may stay silent before t4gd pings LNbits; a second silent interval
        /// closes it (and it reconnects).
        public var pingInterval: Duration
        /// The network LNbits' funding source runs on. LNbits cannot be asked; each new invoice's prefix is
        /// checked against it.
        public var network: Network
        /// Who refuses an invoice of this wallet itself (see ``OwnInvoiceCheck``).
        public var ownInvoiceCheck: OwnInvoiceCheck

        /// Creates a configuration.
        public init(
            baseURL: String, invoiceKey: String, adminKey: String?, network: Network,
            requestTimeout: Duration = .seconds(10), pollInterval: Duration = .seconds(2), push: Bool = true,
            pingInterval: Duration = .seconds(20), ownInvoiceCheck: OwnInvoiceCheck = .store
        ) {
            self.baseURL = baseURL
            self.invoiceKey = invoiceKey
            self.adminKey = adminKey
            self.network = network
            self.requestTimeout = requestTimeout
            self.pollInterval = pollInterval
            self.push = push
            self.pingInterval = pingInterval
            self.ownInvoiceCheck = ownInvoiceCheck
        }
    }

    public let kind = "lnbits"
    let configuration: Configuration
    let client: LNbitsClient
    let logger: Logger
    let clock: @Sendable () -> Int64
    /// The keys seen signing invoices of this LNbits: with ``Configuration/OwnInvoiceCheck/lnbits``, `pay` asks
    /// LNbits whether an invoice is the wallet's own only when it is signed by one of them (see
    /// ``LNbitsSigningKeys``).
    let signingKeys = Mutex(LNbitsSigningKeys())

    /// Prepares the HTTP client; talks to nobody yet.
    public init(
        configuration: Configuration, logger: Logger,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        client = LNbitsClient(
            baseURL: configuration.baseURL, requestTimeout: configuration.requestTimeout, logger: logger)
    }

    /// Creates the backend and starts it; shuts it down again when the start fails.
    public static func connect(configuration: Configuration, logger: Logger) async throws(BackendError)
        -> LNbitsBackend
    {
        try await LNbitsBackend(configuration: configuration, logger: logger).started()
    }

    /// Checks that the invoice key opens a wallet and that the admin key, if any, is an admin key of a wallet
    /// with the same name.
    ///
    /// - Throws: `unavailable`, `timeout`, or `unauthorized` for a key LNbits refuses.
    public func start() async throws(BackendError) {
        let wallet = try await client.call(.GET, "/api/v1/wallet", key: configuration.invoiceKey, as: LNbitsWallet.self)
        if let adminKey = configuration.adminKey {
            let admin = try await client.call(.GET, "/api/v1/wallet", key: adminKey, as: LNbitsWallet.self)
            guard admin.id != nil else {
                throw BackendError(.unauthorized, "the configured admin key is an invoice key")
            }
            guard admin.name == wallet.name else {
                throw BackendError(.unauthorized, "the invoice key and the admin key open different wallets")
            }
        }
        logger.info("LNbits backend ready", metadata: ["wallet": "\(wallet.name ?? "")"])
    }

    /// Closes the HTTP client; every call after this fails with `unavailable`.
    public func shutdown() async {
        await client.shutdown()
    }

    /// What LNbits tells about itself: the wallet (name as alias); no node key (`pubkey` is empty), the
    /// configured network, block height 0, no channels, no peers.
    public func nodeInfo() async throws(BackendError) -> NodeInfo {
        let wallet = try await client.call(
            .GET, "/api/v1/wallet", key: configuration.adminKey ?? configuration.invoiceKey, as: LNbitsWallet.self)
        return NodeInfo(
            pubkey: nil, alias: wallet.name ?? "", network: configuration.network, blockHeight: nil, synced: nil,
            channelCount: 0, peerCount: 0)
    }

    /// Always empty: an LNbits wallet has no channels of its own.
    public func channels() async throws(BackendError) -> [ChannelInfo] { [] }

    /// The wallet balance (`GET /api/v1/wallet`, msat). The wallet id is known only with the admin key.
    public func balance() async throws(BackendError) -> WalletBalance {
        let wallet = try await client.call(
            .GET, "/api/v1/wallet", key: configuration.adminKey ?? configuration.invoiceKey, as: LNbitsWallet.self)
        return WalletBalance(
            balance: MilliSatoshi(wallet.balance), walletID: wallet.id ?? "", walletName: wallet.name ?? "")
    }
}
