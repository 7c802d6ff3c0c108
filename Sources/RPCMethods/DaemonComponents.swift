import DaemonConfig
import Lightning
import Logging
import Operations
import Rates
import Store
import Wallet

/// The parts of a running daemon that RPC methods use.
package struct DaemonComponents: Sendable {
    let configuration: DaemonConfiguration
    let store: Store
    let backend: any LightningBackend
    let events: EventBus
    let invoices: InvoiceBook
    let payments: PaymentSender
    let proofs: ProofBook
    /// Exchange rates for fiat amounts; `nil` when no rate source is configured.
    let rates: RateBook?
    let health: HealthMonitor
    /// This instance among those sharing the store.
    let cluster: ClusterStatus
    /// The daemon's identity (x-only, hex), also its dev node key.
    let identityPubkey: String
    let startedAt: ContinuousClock.Instant
    let now: @Sendable () -> Int64
    /// Begins a graceful shutdown (`daemon.stop`).
    let requestStop: @Sendable () -> Void
    let logger: Logger

    /// Gathers the parts of a running daemon.
    package init(
        configuration: DaemonConfiguration, store: Store, backend: any LightningBackend, events: EventBus,
        invoices: InvoiceBook, payments: PaymentSender, proofs: ProofBook, rates: RateBook?, health: HealthMonitor,
        cluster: ClusterStatus, identityPubkey: String, startedAt: ContinuousClock.Instant,
        now: @escaping @Sendable () -> Int64, requestStop: @escaping @Sendable () -> Void, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.backend = backend
        self.events = events
        self.invoices = invoices
        self.payments = payments
        self.proofs = proofs
        self.rates = rates
        self.health = health
        self.cluster = cluster
        self.identityPubkey = identityPubkey
        self.startedAt = startedAt
        self.now = now
        self.requestStop = requestStop
        self.logger = logger
    }

    /// The daemon's version string.
    static let version = "0.1.0"
}
