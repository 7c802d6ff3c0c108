import Lightning
import Logging
import Rates
import Store

/// The parts of a running daemon that RPC methods use.
struct DaemonComponents: Sendable {
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

    /// The daemon's version string.
    static let version = "0.1.0"
}
