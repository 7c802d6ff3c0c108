import Dispatch

/// Runs blocking work (a blocking socket, waiting for a child process) on a Dispatch thread, so it never
/// holds one of Swift concurrency's few cooperative threads that every other test needs.
public func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try body() })
        }
    }
}
