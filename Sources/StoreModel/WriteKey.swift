/// The idempotency key of a write other than `payment.send` (whose key lives on its payment row):
/// `proof.create`, `proof.transfer`. Scoped per method and per store (every instance sharing it), stored in the
/// same transaction as the object it names, and kept as long as the store.
public struct WriteKey: Sendable, Hashable {
    /// The RPC method, e.g. `proof.create`.
    public var method: String
    /// The caller's key.
    public var key: String
    /// Digest of the call's parameters: a repeat with other parameters is a conflict.
    public var fingerprint: String
    /// The object the first call wrote: a proof id (`proof.create`) or a transition id (`proof.transfer`).
    public var objectID: String
    public var createdAt: Int64

    /// Creates a key record.
    public init(method: String, key: String, fingerprint: String, objectID: String, createdAt: Int64) {
        self.method = method
        self.key = key
        self.fingerprint = fingerprint
        self.objectID = objectID
        self.createdAt = createdAt
    }
}

extension WriteKey {
    /// Decodes a row of `write_keys`.
    package init(row: some StoreRow) throws {
        self.init(
            method: try row.requiredText("method"), key: try row.requiredText("idempotency_key"),
            fingerprint: try row.requiredText("fingerprint"), objectID: try row.requiredText("object_id"),
            createdAt: try row.requiredInteger("created_at"))
    }
}
