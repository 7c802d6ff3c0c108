import Logging
import PostgresNIO
import StoreModel

extension PostgresStore {
    /// Runs `body` while this instance holds the session advisory lock of `name` on a dedicated connection.
    ///
    /// PostgreSQL releases the lock when the holder's session ends, so when an instance dies (even by
    /// SIGKILL) its connection drops and another instance's next try, within `retryDelay`, takes over. The
    /// holder checks its connection every `retryDelay` and cancels `body` when the connection fails (another
    /// instance may lead by then; tasks run this way must tolerate a short overlap, as settlements do).
    package func whileLeading(
        _ name: String, retryDelay: Duration, _ body: @escaping @Sendable () async throws -> Void
    ) async throws {
        while !Task.isCancelled {
            do {
                try await withDedicatedConnection { connection in
                    while !Task.isCancelled {
                        let acquired = try await connection.rows(
                            "SELECT pg_try_advisory_lock(hashtext(\("t4gd:" + name))) AS acquired", logger
                        ).first?.bool("acquired")
                        if acquired == true { break }
                        try await Task.sleep(for: retryDelay)
                    }
                    guard !Task.isCancelled else { return }
                    logger.notice("leading", metadata: ["task": "\(name)"])
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await body() }
                        group.addTask {
                            while !Task.isCancelled {
                                try await Task.sleep(for: retryDelay)
                                try await connection.query("SELECT 1", logger: self.logger)
                            }
                        }
                        _ = try await group.next()
                        group.cancelAll()
                    }
                }
                return
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning(
                    "leadership lost or not reachable; retrying",
                    metadata: ["task": "\(name)", "error": "\(Self.reason(error))"])
                try? await Task.sleep(for: retryDelay)
            }
        }
    }

    /// Follows `NOTIFY`s of the event log on a dedicated connection and passes each new index to `published`.
    /// After every (re)connection it passes the newest index too, so events appended while not listening are
    /// announced as well.
    package func followEvents(_ published: @escaping @Sendable (Int64) async -> Void) async throws {
        while !Task.isCancelled {
            do {
                try await withDedicatedConnection { connection in
                    try await connection.listen(on: EventLog.channel) { notifications in
                        await published(try await lastEventIndex())
                        for try await notification in notifications {
                            if let index = Int64(notification.payload) { await published(index) }
                        }
                    }
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("event listener interrupted; reconnecting", metadata: ["error": "\(Self.reason(error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Opens a connection outside the pool for `body` and closes it after.
    func withDedicatedConnection(_ body: (PostgresConnection) async throws -> Void) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: connectionConfiguration, id: Int.random(in: 1_000_000...Int.max), logger: logger)
        do {
            try await body(connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }
}

extension PostgresRandomAccessRow {
    func bool(_ column: String) throws -> Bool? { try self[column].decode(Bool?.self) }
}
