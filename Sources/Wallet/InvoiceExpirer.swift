import Logging
import ServiceLifecycle

/// Marks open invoices expired when their time comes: it looks at least every `maximumSleep` (one indexed
/// query), so an invoice created while it sleeps is still expired on time.
package struct InvoiceExpirer: Service {
    let invoices: InvoiceBook
    let now: @Sendable () -> Int64
    let maximumSleep: Duration
    let logger: Logger

    /// Creates an expirer that looks at least every `maximumSleep`.
    package init(invoices: InvoiceBook, now: @escaping @Sendable () -> Int64, maximumSleep: Duration, logger: Logger) {
        self.invoices = invoices
        self.now = now
        self.maximumSleep = maximumSleep
        self.logger = logger
    }

    /// Expires due invoices until graceful shutdown.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var sleep = maximumSleep
                do {
                    if let next = try await invoices.expireDue() {
                        sleep = min(sleep, .seconds(max(next - now(), 0)) + .milliseconds(50))
                    }
                } catch  where !Task.isCancelled {
                    logger.error("invoice expiry failed", metadata: ["error": "\(error)"])
                } catch {
                    return
                }
                try? await Task.sleep(for: sleep)
            }
        }
    }
}
