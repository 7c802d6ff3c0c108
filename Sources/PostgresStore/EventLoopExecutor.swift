import NIOCore
import PostgresNIO

/// A task executor that runs jobs on one NIO event loop: a task that prefers it and talks to a connection of
/// that loop makes each round trip without a thread hop (otherwise every statement's answer arrives on the event
/// loop and resumes the task on Swift's cooperative pool, a context switch each way).
///
/// Only code that never blocks may run here: it shares the loop with the connection's I/O.
final class EventLoopExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    /// The executor of `eventLoop`.
    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

extension PostgresConnection {
    /// Runs `body` on this connection's event loop (``EventLoopExecutor``).
    func onEventLoop<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(EventLoopExecutor(eventLoop)) { try await body() }
    }
}
