import Logging
import ServiceLifecycle
import Store
import Synchronization
import TestSupport
import Testing

/// The store as the first service of a group: it serves before the services that use it and closes after
/// they have stopped, and nothing of it runs once the group has returned.
@Suite struct StoreServiceTests {
    let directory = TemporaryDirectory()

    @Test(arguments: StoreEngines.all)
    func theStoreServesUntilItsUsersHaveStoppedThenCloses(engine: String) async throws {
        defer { directory.remove() }
        let store = try await Store(
            configuration: .init(
                location: try StoreLocation(url: try await StoreEngines.url(engine, in: directory)),
                runsInServiceGroup: true))
        let user = StoreUser(store: store)
        let group = ServiceGroup(services: [store, user], logger: Logger(label: "t4gd.test"))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            for await _ in user.started { break }
            await group.triggerGracefulShutdown()
        }
        #expect(user.lastIndexReadWhileStopping.withLock { $0 } == 1)
        await #expect(throws: StoreError.self) { try await store.lastEventIndex() }
    }
}

/// A service that writes an event when it starts and reads the newest index while it stops.
private final class StoreUser: Service, Sendable {
    let store: Store
    let started: AsyncStream<Void>
    private let starting: AsyncStream<Void>.Continuation
    let lastIndexReadWhileStopping = Mutex<Int64?>(nil)

    init(store: Store) {
        self.store = store
        (started, starting) = AsyncStream.makeStream()
    }

    func run() async throws {
        _ = try await store.appendEvent(NewEvent(type: "test.started", at: 1, data: "{}"))
        starting.yield()
        try? await gracefulShutdown()
        let index = try await store.lastEventIndex()
        lastIndexReadWhileStopping.withLock { $0 = index }
    }
}
