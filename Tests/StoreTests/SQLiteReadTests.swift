import Dispatch
import Foundation
import StoreModel
import Synchronization
import TestSupport
import Testing

@testable import SQLiteStore

/// Reads of the SQLite store wait on GRDB's reader threads, never on one of Swift concurrency's cooperative
/// threads (one per core), so slow reads cannot starve the rest of the daemon.
@Suite struct SQLiteReadTests {
    let directory = TemporaryDirectory()

    @Test func slowReadsLeaveTheCooperativePoolFree() async throws {
        defer { directory.remove() }
        let store = try await SQLiteStore.open(
            configuration: .init(path: directory.file("store.sqlite"), fullSync: false))
        // More reads than cooperative threads: reads that blocked their callers' threads would hold them all.
        let readCount = ProcessInfo.processInfo.activeProcessorCount + 2
        let gate = DispatchSemaphore(value: 0)
        let finished = FinishedReads()
        let (started, reading) = AsyncStream.makeStream(of: Void.self)
        // Bound: a blocking read would keep the trivial task below from running until the reads end; free them
        // after 30 s (far above a loaded machine's scheduling delay) so that the test then fails on its
        // expectation instead of hanging.
        let release = DispatchWorkItem { for _ in 0..<readCount { gate.signal() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(30), execute: release)
        try await withThrowingDiscardingTaskGroup { group in
            for _ in 0..<readCount {
                group.addTask {
                    try await store.read("slow read") { _ in
                        reading.yield()
                        gate.wait()
                    }
                    finished.count.add(1, ordering: .relaxed)
                }
            }
            for await _ in started { break }
            let finishedWhenTrivialTaskRan = await Task.detached { finished.count.load(ordering: .relaxed) }.value
            release.cancel()
            for _ in 0..<readCount { gate.signal() }
            #expect(finishedWhenTrivialTaskRan == 0)
        }
        #expect(finished.count.load(ordering: .relaxed) == readCount)
        try store.close()
    }
}

/// How many reads have returned, shared between the reading tasks and the test.
private final class FinishedReads: Sendable {
    let count = Atomic<Int>(0)
}
