// Swift concurrency keeps its own cooperative pool: request tasks (store reads and writes, backend calls) run
// there, while NIO's event loops only move bytes and answer the requests that never wait (daemon.info,
// daemon.health, ...), so those stay prompt however much store work is queued. (PostgreSQL's group-commit
// batches are the exception: they run on their connection's event loop, where each statement is only a short
// encode and decode between round trips; see PostgresStore's EventLoopExecutor.)
await T4GD.parseAndRun()
