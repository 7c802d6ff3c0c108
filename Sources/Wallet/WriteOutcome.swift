import JSONRPC

/// The answer of a write method: the object the write stored, and whether an earlier call with the same key
/// (idempotency key, label or payment hash) had already stored it, so this call moved nothing
/// (`"replayed": true` in the answer).
package struct WriteOutcome<Value: Sendable>: Sendable {
    /// The stored object, in its current state.
    package let value: Value
    /// `true` when the call found the object an earlier call had stored and changed nothing.
    package let replayed: Bool

    /// The object this call stored itself.
    static func firstCall(_ value: Value) -> WriteOutcome { WriteOutcome(value: value, replayed: false) }
    /// The object an earlier call had stored.
    static func replay(_ value: Value) -> WriteOutcome { WriteOutcome(value: value, replayed: true) }
}
