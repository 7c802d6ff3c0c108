import Logging
import PostgresNIO
import StoreModel

/// Appends to the shared event log so that indexes grow by one in commit order across all instances.
///
/// A sequence would not do: its values are taken when a transaction inserts, not when it commits, so two
/// concurrent transactions can commit 8 before 7 and a reader of "events after 6" would see 8, move on, and
/// never see 7 (and a rolled-back transaction leaves a gap). Instead the appending transaction takes a
/// transaction-level advisory lock, held until it commits or rolls back, and only then reads the newest index
/// in a new statement (a new snapshot): the next index is assigned by the one transaction that holds the lock,
/// and is visible before the next one is assigned. The lock is taken as the transaction's last step, so it is
/// held only for the insert and the commit. `pg_notify` tells every instance's listener at commit.
enum EventLog {
    /// The advisory lock that serializes event appends.
    static let lockKey: Int64 = 0x7434_6764_0002
    /// The LISTEN/NOTIFY channel carrying the newest index.
    static let channel = "t4gd_events"

    /// Appends `event` in the transaction of `connection`.
    static func append(_ event: NewEvent, on connection: PostgresConnection, _ logger: Logger) async throws
        -> EventRecord
    {
        try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
        let rows = try await connection.rows(
            """
            WITH appended AS (
                INSERT INTO events (idx, type, at, data)
                SELECT coalesce(max(idx), 0) + 1, \(event.type), \(event.at), \(event.data) FROM events
                RETURNING idx
            )
            SELECT idx, pg_notify('\(unescaped: channel)', idx::text) AS notified FROM appended
            """, logger)
        guard let index = try rows.first?.integer("idx") else { throw StoreError(.database, "event not appended") }
        return EventRecord(index: index, type: event.type, at: event.at, data: event.data)
    }
}
