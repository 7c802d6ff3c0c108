import Logging
import PostgresNIO
import StoreModel

extension PostgresStore {
    /// The idempotency key `key` of `method`, as its first call stored it.
    package func writeKey(method: String, key: String) async throws(StoreError) -> WriteKey? {
        try await onConnection("read write key") { connection in
            try await connection.rows(
                "SELECT * FROM write_keys WHERE method = \(method) AND idempotency_key = \(key)", logger
            ).first.map(WriteKey.init(row:))
        }
    }

    /// Stores an idempotency key on its own; a key already stored throws `idempotencyConflict` (the primary
    /// key holds it across every instance sharing the database).
    package func rememberWriteKey(_ writeKey: WriteKey) async throws(StoreError) {
        try await write("remember write key", writesOnce: true) { [logger] connection in
            try await Self.insertWriteKey(writeKey, on: connection, logger)
        }
    }

    /// Inserts `writeKey` in the caller's transaction; a key already stored throws `idempotencyConflict`.
    static func insertWriteKey(_ writeKey: WriteKey, on connection: PostgresConnection, _ logger: Logger)
        async throws
    {
        _ = try await connection.rows(
            """
            INSERT INTO write_keys (method, idempotency_key, fingerprint, object_id, created_at)
            VALUES (\(writeKey.method), \(writeKey.key), \(writeKey.fingerprint), \(writeKey.objectID),
                \(writeKey.createdAt))
            """, logger, uniqueViolation: .idempotencyConflict,
            "the idempotency key of \(writeKey.method) is already stored")
    }
}
