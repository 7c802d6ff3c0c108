import AsyncHTTPClient
import BOLT11
import BackendHTTP
import Foundation
import Lightning
import Logging
import Synchronization

/// A Lightning backend that drives an LND node (v0.21) through its REST API.
///
/// TLS trusts only the node's own certificate; every request carries the macaroon (hex, never logged) and has
/// a deadline. One `HTTPClient` is shared by all calls. Lifecycle: ``init(configuration:logger:)`` (reads the
/// files, no I/O), ``start()`` (GetInfo: credentials and network), the calls, ``shutdown()``; or
/// ``connect(configuration:logger:)`` for the first two.
public final class LNDBackend: LightningBackend, StartableBackend {
    /// How to reach and use the node (`[lnd]` in the configuration file).
    public struct Configuration: Sendable {
        /// The REST endpoint, e.g. `https://127.0.0.1:8080`.
        public var restURL: String
        /// LND's `tls.cert` (PEM); the only certificate trusted.
        public var tlsCertPath: String
        /// A macaroon file (binary, as LND writes it), e.g. `admin.macaroon`; read once at start-up.
        public var macaroonPath: String
        /// The network the node must run on; ``start()`` refuses another.
        public var network: Network
        /// The deadline of every unary call and of the response head of a streaming one.
        public var requestTimeout: Duration
        /// How long LND itself keeps trying to route a payment (`timeout_seconds`).
        public var paymentTimeout: Duration
        /// Also check the certificate's names against the host. Off by default: the pinned certificate is
        /// already the only one trusted, and LND's names its host's addresses only.
        public var verifyHostname: Bool
        /// Ask LND for route hints to the node's private channels in every invoice (`private: true`): without
        /// them an invoice of a node with only private channels cannot be paid.
        public var privateInvoices: Bool
        /// Connections kept for unary calls (GetInfo, invoices, balances).
        public var maxConnections: Int
        /// Connections kept for streams: payments in flight, payment tracks and the invoice subscription.
        public var maxStreams: Int
        /// The invoice subscription is reopened from the last settle index after this long without a message:
        /// LND sends nothing while no invoice settles, so a connection dropped silently on the way (NAT,
        /// firewall, Tor) would otherwise wait for ever. Settlements are seen at most this long (plus one request
        /// timeout) after such a drop.
        public var subscriptionIdleTimeout: Duration

        /// Creates a configuration.
        public init(
            restURL: String, tlsCertPath: String, macaroonPath: String, network: Network,
            requestTimeout: Duration = .seconds(10), paymentTimeout: Duration = .seconds(60),
            verifyHostname: Bool = false, privateInvoices: Bool = true, maxConnections: Int = 8,
            maxStreams: Int = 64, subscriptionIdleTimeout: Duration = .seconds(60)
        ) {
            self.restURL = restURL
            self.tlsCertPath = tlsCertPath
            self.macaroonPath = macaroonPath
            self.network = network
            self.requestTimeout = requestTimeout
            self.paymentTimeout = paymentTimeout
            self.verifyHostname = verifyHostname
            self.privateInvoices = privateInvoices
            self.maxConnections = maxConnections
            self.maxStreams = maxStreams
            self.subscriptionIdleTimeout = subscriptionIdleTimeout
        }
    }

    public let kind = "lnd"
    let configuration: Configuration
    let client: LNDClient
    let logger: Logger
    let clock: @Sendable () -> Int64
    private let identity = Mutex<(pubkey: String, alias: String)?>(nil)

    /// Reads the macaroon and the certificate and prepares the HTTP client; talks to nobody yet.
    ///
    /// - Throws: `unavailable` when a file cannot be read.
    public init(
        configuration: Configuration, logger: Logger,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    ) throws(BackendError) {
        guard let macaroon = FileManager.default.contents(atPath: configuration.macaroonPath), !macaroon.isEmpty else {
            throw BackendError(.unauthorized, "cannot read the macaroon file \(configuration.macaroonPath)")
        }
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        client = try LNDClient(
            baseURL: configuration.restURL, tlsCertPath: configuration.tlsCertPath,
            macaroonHex: macaroon.map { String(format: "%02x", $0) }.joined(),
            requestTimeout: configuration.requestTimeout, verifyHostname: configuration.verifyHostname,
            connections: (configuration.maxConnections, configuration.maxStreams), logger: logger)
    }

    /// Creates the backend and starts it; shuts it down again when the start fails.
    public static func connect(configuration: Configuration, logger: Logger) async throws(BackendError) -> LNDBackend {
        try await LNDBackend(configuration: configuration, logger: logger).started()
    }

    /// Checks credentials and network with GetInfo.
    ///
    /// - Throws: `unavailable`, `unauthorized`, `timeout`, or `networkMismatch` when the node runs on another
    ///   network than configured.
    public func start() async throws(BackendError) {
        let info = try await nodeInfo()
        guard info.network == configuration.network else {
            throw BackendError(
                .networkMismatch,
                "LND runs on \(info.network.rawValue), t4gd is configured for \(configuration.network)")
        }
        logger.info(
            "LND backend ready",
            metadata: [
                "pubkey": "\(info.pubkey ?? "-")", "alias": "\(info.alias)", "height": "\(info.blockHeight ?? 0)",
            ])
    }

    /// Closes the HTTP client; every call after this fails with `unavailable`.
    public func shutdown() async {
        await client.shutdown()
    }

    public func nodeInfo() async throws(BackendError) -> NodeInfo {
        let info = try await client.call(.GET, "/v1/getinfo", as: LNDGetInfo.self)
        let networkName = info.chains?.first?.network ?? "unknown"
        guard let network = LNDStateMapping.network(networkName) else {
            throw BackendError(.networkMismatch, "LND runs on \(networkName), which t4gd does not support")
        }
        identity.withLock { $0 = (info.identityPubkey, info.alias ?? "") }
        return NodeInfo(
            pubkey: info.identityPubkey, alias: info.alias ?? "", network: network,
            blockHeight: info.blockHeight ?? 0, synced: info.syncedToChain ?? false,
            channelCount: Self.channelCount(active: info.numActiveChannels, inactive: info.numInactiveChannels),
            peerCount: info.numPeers ?? 0)
    }

    public func channels() async throws(BackendError) -> [ChannelInfo] {
        try await client.call(.GET, "/v1/channels", as: LNDChannelList.self).channels.map {
            channel throws(BackendError) in
            ChannelInfo(
                id: channel.chanId, peer: channel.remotePubkey,
                capacity: try Self.msat(sat: channel.capacity), localBalance: try Self.msat(sat: channel.localBalance),
                remoteBalance: try Self.msat(sat: channel.remoteBalance), active: channel.active ?? false)
        }
    }

    /// The spendable channel balance (`local_balance.msat`); the wallet is the node (id = pubkey).
    public func balance() async throws(BackendError) -> WalletBalance {
        let balance = try await client.call(.GET, "/v1/balance/channels", as: LNDChannelBalance.self)
        let node: (pubkey: String, alias: String)
        if let known = identity.withLock({ $0 }) {
            node = known
        } else {
            let info = try await nodeInfo()
            node = (info.pubkey ?? "", info.alias)
        }
        // uint64 on the wire: clamped, never trapped, when it does not fit an Int64 of msat.
        let sat = balance.localBalance?.sat?.value ?? 0
        let msat = balance.localBalance?.msat?.value ?? (sat > UInt64.max / 1000 ? .max : sat * 1000)
        return WalletBalance(
            balance: MilliSatoshi(Int64(clamping: msat)), walletID: node.pubkey, walletName: node.alias)
    }

    /// Active plus inactive channels; counts too large to add are reported as `Int.max`.
    private static func channelCount(active: Int?, inactive: Int?) -> Int {
        let (sum, overflow) = (active ?? 0).addingReportingOverflow(inactive ?? 0)
        return overflow ? Int.max : sum
    }

    /// An amount LND reports in sat (absent: zero); one too large for msat is a malformed answer, not a trap.
    private static func msat(sat: LNDInt?) throws(BackendError) -> MilliSatoshi {
        guard let msat = MilliSatoshi(sat: sat?.value ?? 0) else {
            throw BackendError(.failure, "LND reported an amount out of range: \(sat?.value ?? 0) sat")
        }
        return msat
    }
}
