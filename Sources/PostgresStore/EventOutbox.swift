import Logging
import PostgresNIO
import StoreModel

/// Writes events into the outbox inside the transaction that changes state; ``EventSequencer`` gives them their
/// index after that transaction commits.
///
/// No lock is taken: concurrent writers only insert outbox rows. The insert must be the last statement of the
/// write (see ``EventSequencer`` for why the order of outbox ids then respects cause and effect).
enum EventOutbox {
    /// The LISTEN/NOTIFY channel carrying the newest index (sent by the sequencer at each batch's commit).
    static let eventsChannel = "t4gd_events"
    /// The LISTEN/NOTIFY channel that wakes the sequencer when another instance wrote to the outbox.
    static let outboxChannel = "t4gd_outbox"

    /// An event written to the outbox whose index is not known until the sequencer has taken it.
    struct Pending: Sendable {
        /// The outbox row.
        let outboxID: Int64
        /// The event as written.
        let event: NewEvent
    }

    /// Inserts `event` into the outbox in the transaction of `connection`.
    static func insert(_ event: NewEvent, on connection: PostgresConnection, _ logger: Logger) async throws -> Pending {
        let rows = try await connection.preparedRows(
            "INSERT INTO event_outbox (type, at, data) VALUES (\(event.type), \(event.at), \(event.data)) RETURNING id",
            logger)
        guard let id = try rows.first?.integer("id") else { throw StoreError(.database, "event not written") }
        return Pending(outboxID: id, event: event)
    }
}
