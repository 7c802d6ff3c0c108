import ServiceLifecycle
import Store

/// Wakes this instance's event waiters (`invoice.wait`, `events.wait`, `events.subscribe`) when another
/// instance sharing the store appends events (PostgreSQL LISTEN/NOTIFY). On SQLite there is nothing to follow:
/// it only waits for the shutdown.
struct EventFollower: Service {
    let store: Store
    let events: EventBus

    func run() async throws {
        await cancelWhenGracefulShutdown {
            try? await store.followEvents { index in await events.published(upTo: index) }
        }
        try? await gracefulShutdown()
    }
}
