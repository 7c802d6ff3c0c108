import Lightning
import Logging
import ServiceLifecycle
import Store

/// Follows the backend's invoice settlements and records each one, resuming after the last settle index the
/// store saw, so that no settlement is missed across disconnects or restarts.
struct SettlementWatcher: Service {
    static let cursorName = "backend_settle_index"

    let store: Store
    let backend: any LightningBackend
    let invoices: InvoiceBook
    let retryDelay: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let after = UInt64(try store.cursor(Self.cursorName) ?? 0)
                    for try await settlement in backend.settlements(after: after) {
                        try await invoices.settle(settlement)
                        try await store.advanceCursor(Self.cursorName, to: Int64(settlement.settleIndex))
                    }
                } catch {
                    logger.warning("settlement stream interrupted; resuming", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: retryDelay)
            }
        }
    }
}
