import ServiceLifecycle
import Store

/// Wakes this instance's event waiters (`invoice.wait`, `events.wait`, `events.subscribe`) when another
/// instance sharing the store appends events (PostgreSQL LISTEN/NOTIFY). On SQLite there is nothing to follow:
/// it only waits for the shutdown.
package struct EventFollower: Service {
    let store: Store
    let events: EventBus

    /// Creates a follower announcing `store`'s new events on `events`.
    package init(store: Store, events: EventBus) {
        self.store = store
        self.events = events
    }

    /// Follows other instances' events until graceful shutdown.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            try? await store.followEvents { index in await events.published(upTo: index) }
        }
        try? await gracefulShutdown()
    }
}
