import NIOCore

/// The deadline of a call passed before the call completed.
package struct DeadlineExceeded: Error {
    package init() {}
}

/// Runs `operation`, cancelling it and throwing ``DeadlineExceeded`` when `duration` passes first.
package func withDeadline<T: Sendable>(
    _ duration: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: duration)
            return nil
        }
        defer { group.cancelAll() }
        guard case let value?? = try await group.next() else { throw DeadlineExceeded() }
        return value
    }
}

extension Duration {
    /// The same span as a NIO `TimeAmount`.
    package var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
