import Logging
import ServiceLifecycle

/// Marks open invoices expired when their time comes: it looks at least every `maximumSleep` (one indexed
/// query), so an invoice created while it sleeps is still expired on time.
struct InvoiceExpirer: Service {
    let invoices: InvoiceBook
    let now: @Sendable () -> Int64
    let maximumSleep: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var sleep = maximumSleep
                do {
                    if let next = try await invoices.expireDue() {
                        sleep = min(sleep, .seconds(max(next - now(), 0)) + .milliseconds(50))
                    }
                } catch where !Task.isCancelled {
                    logger.error("invoice expiry failed", metadata: ["error": "\(error)"])
                } catch {
                    return
                }
                try? await Task.sleep(for: sleep)
            }
        }
    }
}
