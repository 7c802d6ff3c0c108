import Testing

/// Polls `condition` every 100 ms until it holds; fails the test naming `what` after `bound`.
func eventually(
    _ what: String, bound: Duration, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + bound
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("\(what): not within \(bound)", sourceLocation: sourceLocation)
    throw CancellationError()
}
