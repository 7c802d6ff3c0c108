import Lightning
import Logging
import ServiceLifecycle
import Store

/// Follows the backend's invoice settlements and records each one, resuming after the last settle index the
/// store saw, so that no settlement is missed across disconnects or restarts.
///
/// A settle index counts in one node's database, so the cursor is kept per node identity (the backend's
/// pubkey). A backend pointed at another node, or a node rebuilt with a new identity, has no cursor yet: its
/// settlements are rescanned from zero, which is safe because recording a settlement twice changes nothing.
///
/// Among several instances sharing a PostgreSQL store only the leader follows (``Store/whileLeading``); a
/// follower takes over within `retryDelay` of the leader's death and resumes from the stored cursor, so no
/// settlement is lost in the hand-over (one settled twice during an overlap is recorded once).
package struct SettlementWatcher: Service {
    static let cursorName = "backend_settle_index"

    /// The cursor of the node with identity `pubkey`; the unscoped name for a backend that has none (LNbits).
    static func cursorName(node pubkey: String) -> String {
        pubkey.isEmpty ? cursorName : "\(cursorName)/\(pubkey)"
    }

    let store: Store
    let backend: any LightningBackend
    let invoices: InvoiceBook
    /// Told when this instance starts and stops leading.
    let cluster: ClusterStatus
    let retryDelay: Duration
    let logger: Logger

    /// Creates a watcher that retries the backend's stream after `retryDelay`.
    package init(
        store: Store, backend: any LightningBackend, invoices: InvoiceBook, cluster: ClusterStatus,
        retryDelay: Duration, logger: Logger
    ) {
        self.store = store
        self.backend = backend
        self.invoices = invoices
        self.cluster = cluster
        self.retryDelay = retryDelay
        self.logger = logger
    }

    /// Follows settlements while this instance leads, until graceful shutdown.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            try? await store.whileLeading("settlements", retryDelay: retryDelay) {
                cluster.setLeadsSettlements(true)
                defer { cluster.setLeadsSettlements(false) }
                await follow()
            }
        }
    }

    private func follow() async {
        var lastNode: String?
        while !Task.isCancelled {
            do {
                let node = try await backend.nodeInfo().pubkey ?? ""
                let cursorName = Self.cursorName(node: node)
                let stored = try await store.cursor(cursorName)
                if stored == nil, !node.isEmpty {
                    logger.notice(
                        """
                        no settle cursor for this node (another node, a rebuilt one, or the first start of this \
                        version); rescanning its settlements from zero
                        """,
                        metadata: ["node": "\(node)", "previous_node": "\(lastNode ?? "-")"])
                }
                lastNode = node
                for try await settlement in backend.settlements(after: UInt64(max(stored ?? 0, 0))) {
                    try await invoices.settle(settlement)
                    try await store.advanceCursor(cursorName, to: Int64(clamping: settlement.settleIndex))
                }
            } catch {
                logger.warning("settlement stream interrupted; resuming", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: retryDelay)
        }
    }
}
