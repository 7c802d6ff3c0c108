import Lightning
import Logging
import ServiceLifecycle
import Store

/// Follows the backend's invoice settlements and records each one, resuming after the last settle index the
/// store saw, so that no settlement is missed across disconnects or restarts.
///
/// Among several instances sharing a PostgreSQL store only the leader follows (``Store/whileLeading``); a
/// follower takes over within `retryDelay` of the leader's death and resumes from the stored cursor, so no
/// settlement is lost in the hand-over (one settled twice during an overlap is recorded once).
struct SettlementWatcher: Service {
    static let cursorName = "backend_settle_index"

    let store: Store
    let backend: any LightningBackend
    let invoices: InvoiceBook
    let retryDelay: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            try? await store.whileLeading("settlements", retryDelay: retryDelay) { await follow() }
        }
    }

    private func follow() async {
        while !Task.isCancelled {
            do {
                let after = UInt64(clamping: try await store.cursor(Self.cursorName) ?? 0)
                for try await settlement in backend.settlements(after: after) {
                    try await invoices.settle(settlement)
                    try await store.advanceCursor(Self.cursorName, to: Int64(clamping: settlement.settleIndex))
                }
            } catch {
                logger.warning("settlement stream interrupted; resuming", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: retryDelay)
        }
    }
}
