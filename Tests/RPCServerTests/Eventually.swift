/// Polls `condition` until it holds, failing after `timeout`.
func eventually(
    timeout: Duration = .seconds(10),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            throw ConditionTimeout()
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

struct ConditionTimeout: Error {}
