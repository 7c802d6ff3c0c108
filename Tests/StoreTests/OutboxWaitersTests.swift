import Testing

@testable import PostgresStore

/// A writer that registers its outbox row after this process's sequencer indexed it still gets the index at once.
@Suite struct OutboxWaitersTests {
    @Test func aRowIndexedBeforeItsWriterRegisteredGetsItsIndex() async {
        let waiters = OutboxWaiters()
        await waiters.resolve([(outboxID: 7, index: 3)])
        await waiters.register(7)
        // Without the kept index this waits out the timeout and answers nil.
        #expect(await waiters.index(of: 7, timeout: .seconds(10)) == 3)
    }

    @Test func onlyTheLatestUnclaimedIndexesAreKept() async {
        let waiters = OutboxWaiters()
        let count = Int64(OutboxWaiters.unclaimedLimit) + 1
        await waiters.resolve((1...count).map { (outboxID: $0, index: $0 + 100) })
        await waiters.register(1)
        await waiters.register(count)
        #expect(await waiters.index(of: count, timeout: .seconds(10)) == count + 100)
        #expect(await waiters.index(of: 1, timeout: .milliseconds(10)) == nil, "the oldest was forgotten")
        await waiters.forget(1)
    }
}
