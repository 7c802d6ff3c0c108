import Logging
import ServiceLifecycle

/// Completes payment-bound proof transfers when their invoice is paid (and cancels them when it expires):
/// at start-up (so a crash between "invoice paid" and "transition finalized" is finished exactly once) and
/// after every new event.
package struct ProofSettler: Service {
    let proofs: ProofBook
    let events: EventBus

    /// Creates a settler of `proofs`' pending transfers, woken by `events`.
    package init(proofs: ProofBook, events: EventBus) {
        self.proofs = proofs
        self.events = events
    }

    /// Settles pending transfers at start and after every new event, until graceful shutdown.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            var seen = await events.latest
            await proofs.settlePendingTransfers()
            while !Task.isCancelled {
                _ = await events.wait(after: seen, timeout: .seconds(5))
                seen = await events.latest
                await proofs.settlePendingTransfers()
            }
        }
    }
}
