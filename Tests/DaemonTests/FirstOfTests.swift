import Testing

@testable import Daemon

@Suite struct FirstOfTests {
    @Test func returnsTheValueWhenTheTaskFinishesInTime() async {
        let task = Task { 42 }
        #expect(await firstOf(task, timeout: .seconds(30)) == 42)
    }

    @Test func returnsNilAtTheTimeoutWhileTheTaskKeepsRunning() async {
        let slow = Task { () -> Int in
            try? await Task.sleep(for: .seconds(120))
            return 7
        }
        let start = ContinuousClock.now
        #expect(await firstOf(slow, timeout: .milliseconds(50)) == nil)
        // Far below the task's 120 s, yet far above any stall of a loaded machine.
        #expect(ContinuousClock.now - start < .seconds(60), "the timeout did not cut the wait short")
        #expect(!slow.isCancelled)
        slow.cancel()
    }
}
