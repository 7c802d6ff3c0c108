import GRDB
import StoreModel

extension SQLiteStore {
    /// The idempotency key `key` of `method`, as its first call stored it.
    public func writeKey(method: String, key: String) async throws(StoreError) -> WriteKey? {
        try await read("read write key") { database in
            try Row.fetchOne(
                database, sql: "SELECT * FROM write_keys WHERE method = ? AND idempotency_key = ?",
                arguments: [method, key]
            ).map(WriteKey.init(row:))
        }
    }

    /// Stores an idempotency key on its own; a key already stored throws `idempotencyConflict`.
    public func rememberWriteKey(_ writeKey: WriteKey) async throws(StoreError) {
        try await write("remember write key") { database in try Self.insertWriteKey(writeKey, in: database) }
    }

    /// Inserts `writeKey` in the caller's transaction; a key already stored throws `idempotencyConflict`.
    static func insertWriteKey(_ writeKey: WriteKey, in database: Database) throws {
        do {
            try database.cachedStatement(
                sql: """
                    INSERT INTO write_keys (method, idempotency_key, fingerprint, object_id, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [
                    writeKey.method, writeKey.key, writeKey.fingerprint, writeKey.objectID, writeKey.createdAt,
                ])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.idempotencyConflict, "the idempotency key of \(writeKey.method) is already stored")
        }
    }
}
