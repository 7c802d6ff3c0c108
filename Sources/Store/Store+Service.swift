import ServiceLifecycle

extension Store: Service {
    /// Runs the engine's background work (PostgreSQL's connection pool) until a graceful shutdown or
    /// cancellation reaches the store, then closes it. The daemon puts the store first in its service group, so
    /// that it serves before the services that use it start and closes after they have stopped.
    ///
    /// A store whose ``Configuration/runsInServiceGroup`` is `false` runs its work itself: here it only waits,
    /// then closes.
    package func run() async {
        await withDiscardingTaskGroup { background in
            if ownBackgroundWork == nil {
                background.addTask { await self.serveConnections() }
            }
            try? await gracefulShutdown()
            try? await close()
            background.cancelAll()
        }
    }
}
