import NIOCore
import NIOPosix

// Swift concurrency runs on NIO's event loops, so a request is read, handled and answered without hopping
// between NIO's threads and the cooperative pool. Store writes and syncs to disk run on their own queue
// (GroupCommitWriter), never on these threads. This must happen before the first task is created.
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
await T4GD.parseAndRun()
