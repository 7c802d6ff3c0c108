import CSpawn
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process of a test, started with `posix_spawn`: stdin from /dev/null, no signal blocked and every signal
/// at its default (the test process blocks or ignores some, which children would inherit: then SIGTERM does not
/// stop a service), its exit status collected by a thread of its own.
///
/// Tests never use Foundation's `Process`: on Linux its `run()` reads `/proc/self/fd` copying 256 bytes of every
/// directory entry, past the end of glibc's buffer when an entry ends at an unmapped page
/// (swift-corelibs-foundation#5472, not in Swift 6.3); with the test process's thousand open descriptors it
/// crashed a CI run (`Bad pointer dereference` in `Process.run()`).
///
/// Descriptors the test process opened without close-on-exec are inherited, as they were by `Services.run`'s
/// children before: `posix_spawn_file_actions_addclosefrom_np` was tried, and the full suite stalled for minutes
/// and once failed a SwiftNIO assertion on a reused descriptor (most likely glibc's fallback for it, which opens
/// `/proc/self/fd` in the child while the child still shares the parent's memory).
public final class ChildProcess: Sendable {
    /// Where the child's stdout or stderr goes.
    public enum Output: Sendable {
        /// /dev/null.
        case discard
        /// Appended to the file at this path (created if missing).
        case file(String)
        /// A pipe, read through ``standardOutput`` or ``standardError``.
        case pipe
        /// Wherever stdout goes (for stderr only).
        case standardOutput
    }

    /// The child's process id.
    public let processIdentifier: pid_t
    /// The read end of the child's stdout, when it is a ``Output/pipe``.
    public let standardOutput: FileHandle?
    /// The read end of the child's stderr, when it is a ``Output/pipe`` of its own.
    public let standardError: FileHandle?
    private let state = Mutex(State())
    private let exited = NSCondition()

    /// The exit status once collected, and the tasks waiting for it.
    private struct State {
        var status: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    /// A failed `posix_spawn` or `pipe2`.
    public struct SpawnFailed: Error, CustomStringConvertible {
        public let executable: String
        public let errno: Int32
        public var description: String { "cannot start \(executable): \(String(cString: strerror(errno)))" }
    }

    /// Starts `executable` with `arguments` and this process's environment plus `environment`.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        standardOutput: Output = .discard, standardError: Output = .discard
    ) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // Pipes are close-on-exec in this process, so that no other child started meanwhile keeps a write end
        // open (its reader would never see the end); `dup2` gives the child its own copy without the flag.
        var readEnds: [Int32: Int32] = [:]
        var writeEnds: [Int32] = []
        defer { writeEnds.forEach { close($0) } }
        for (descriptor, output) in [(Int32(1), standardOutput), (2, standardError)] {
            switch output {
            case .discard:
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            case .pipe:
                var ends: [Int32] = [-1, -1]
                guard cspawn_pipe_cloexec(&ends) == 0 else {
                    readEnds.values.forEach { close($0) }
                    throw SpawnFailed(executable: executable, errno: errno)
                }
                readEnds[descriptor] = ends[0]
                writeEnds.append(ends[1])
                posix_spawn_file_actions_adddup2(&actions, ends[1], descriptor)
            case .standardOutput:
                posix_spawn_file_actions_adddup2(&actions, 1, descriptor)
            }
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            readEnds.values.forEach { close($0) }
            throw SpawnFailed(executable: executable, errno: result)
        }
        processIdentifier = pid
        let child = pid
        self.standardOutput = readEnds[1].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        self.standardError = readEnds[2].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
        // A thread of its own, never one of Dispatch's: on Linux those are the threads Swift concurrency runs
        // on too, and a blocked one is taken from every test.
        Thread { [self] in
            var raw: Int32 = 0
            while waitpid(child, &raw, 0) == -1 && errno == EINTR {}
            // As Foundation's `terminationStatus`: the exit code, or the number of the signal that ended it.
            let code = raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
            let waiters = state.withLock { state in
                state.status = code
                defer { state.waiters = [] }
                return state.waiters
            }
            exited.lock()
            exited.broadcast()
            exited.unlock()
            for waiter in waiters { waiter.resume(returning: code) }
        }.start()
    }

    /// Whether the child still runs (its exit has not been collected yet).
    public var isRunning: Bool { state.withLock { $0.status == nil } }

    /// The exit code, or the number of the signal that ended the child; `-1` while it runs.
    public var terminationStatus: Int32 { state.withLock { $0.status } ?? -1 }

    /// Sends `signal` to the child unless it has exited.
    public func send(_ signal: Int32) {
        if isRunning { kill(processIdentifier, signal) }
    }

    /// Sends SIGTERM.
    public func terminate() { send(SIGTERM) }

    /// Blocks until the child has exited; its ``terminationStatus``.
    @discardableResult
    public func waitUntilExit() -> Int32 {
        exited.lock()
        while isRunning { exited.wait() }
        exited.unlock()
        return terminationStatus
    }

    /// Waits, holding no thread, until the child has exited; its ``terminationStatus``.
    @discardableResult
    public func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status = state.withLock { state -> Int32? in
                if state.status == nil { state.waiters.append(continuation) }
                return state.status
            }
            if let status { continuation.resume(returning: status) }
        }
    }
}
