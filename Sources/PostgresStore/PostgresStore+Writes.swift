import PostgresNIO
import StoreModel

extension PostgresStore {
    /// How long a writer waits for the sequencer to index its event before reporting the write as stored but
    /// not yet indexed (a replay then finds it done).
    static let indexPatience: Duration = .seconds(30)
    /// How long a writer waits for a sign of its index before reading it from the outbox itself.
    static let indexCheckInterval: Duration = .milliseconds(200)

    /// Runs `body` as one write of the next group transaction (``PostgresGroupCommit``) and returns once it is
    /// committed; `writesOnce` when `body` changes the database in at most one statement.
    func write<T: Sendable>(
        _ operation: String, writesOnce: Bool = false,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await groupCommit.write(writesOnce: writesOnce, body)
        } catch {
            throw Self.storeError(error, operation)
        }
    }

    /// Runs `write` in the next group transaction, in one statement with the writes of its kind next to it
    /// (``PostgresCoalescedWrite``), and returns its output once it is committed.
    func write<W: PostgresCoalescedWrite>(_ operation: String, coalescing write: W) async throws(StoreError)
        -> W.Output
    {
        do {
            return try await groupCommit.write(coalescing: write)
        } catch {
            throw Self.storeError(error, operation)
        }
    }

    /// The committed write's record with its event, once the sequencer has indexed the event.
    func indexingEvent<Record: Sendable>(_ written: (Record, EventOutbox.Pending)?) async throws(StoreError)
        -> (Record, EventRecord)?
    {
        guard let (record, pending) = written else { return nil }
        return (record, try await indexed(pending))
    }

    /// The event of a committed write with the index the sequencer gave it: woken by this process's sequencer or
    /// by another instance's batch notice, and reading the outbox itself every ``indexCheckInterval`` in case a
    /// notice was missed.
    func indexed(_ pending: EventOutbox.Pending) async throws(StoreError) -> EventRecord {
        let id = pending.outboxID
        let waiters = sequencer.waiters
        await waiters.register(id)
        sequencer.wake()
        let deadline = ContinuousClock.now + Self.indexPatience
        while true {
            if let index = await waiters.index(of: id, timeout: Self.indexCheckInterval) {
                return EventRecord(pending.event, index: index)
            }
            let stored = try await onConnection("read event index") { connection in
                try await connection.rows("SELECT idx FROM event_outbox WHERE id = \(id)", logger).first?.integer("idx")
            }
            if let index = stored {
                await waiters.forget(id)
                return EventRecord(pending.event, index: index)
            }
            guard ContinuousClock.now < deadline else {
                await waiters.forget(id)
                let diagnosis = try await onConnection("diagnose event indexing") { connection in
                    try await EventSequencer.diagnosis(of: id, on: connection, logger)
                }
                guard let diagnosis else { continue }
                let problem = "the event was stored but not indexed within \(Self.indexPatience): \(diagnosis)"
                logger.error("\(problem); \(sequencer.state)")
                throw StoreError(.database, problem)
            }
            sequencer.wake()
        }
    }
}

extension EventRecord {
    fileprivate init(_ event: NewEvent, index: Int64) {
        self.init(index: index, type: event.type, at: event.at, data: event.data)
    }
}
