/// A condition a test polled did not hold within its bound.
public struct ConditionTimeout: Error, CustomStringConvertible {
    /// What the test waited for.
    public let condition: String
    public var description: String { "timed out waiting until \(condition)" }
}

/// Polls `condition` every 10 ms until it holds; throws ``ConditionTimeout`` naming `what` after `timeout`.
///
/// The way a test waits for something it can observe, instead of a fixed sleep that is too short on a loaded
/// machine and too long on an idle one. The default bound is generous (a CI run at load 45 missed 10 s for 20
/// invoices); a test whose property is a time bound names its own.
public func eventually(
    _ what: String = "the condition holds", timeout: Duration = .seconds(30),
    _ condition: () async throws -> Bool
) async throws {
    let held = try await settledValue(timeout: timeout, every: .milliseconds(10), condition, until: { $0 })
    guard held else { throw ConditionTimeout(condition: what) }
}

/// Reads `value` until `settled` holds for it or `timeout` passes, and returns the last value read.
///
/// For a wait whose outcome the test then asserts exactly: the assertion names the state reached (a payment still
/// `pending`, a proof still with its old owner) instead of a timeout. Reads every 50 ms by default, so a process
/// under test is not flooded with calls.
public func settledValue<Value>(
    timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(50),
    _ value: () async throws -> Value, until settled: (Value) -> Bool
) async throws -> Value {
    let deadline = ContinuousClock.now + timeout
    var last = try await value()
    while !settled(last), ContinuousClock.now < deadline {
        try await Task.sleep(for: interval)
        last = try await value()
    }
    return last
}
