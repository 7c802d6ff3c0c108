import JSONRPC
import NIOCore
import NIOPosix
import RPCClient
import RPCWire
import ServiceLifecycle

@testable import RPCServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fresh directory under /tmp (short, so socket paths fit in `sun_path`), removed with its files.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/t4gd-rpc-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw POSIXFailure(call: "mkdtemp") }
        path = String(cString: created)
    }

    func remove() {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." {
                    unlink(path + "/" + name)
                }
            }
            closedir(directory)
        }
        rmdir(path)
    }
}

struct POSIXFailure: Error {
    let call: String
    let code = errno
}

/// The file type and permission bits at `path` (not following links), or `nil` if nothing is there.
func fileMode(_ path: String) -> UInt32? {
    var status = stat()
    return lstat(path, &status) == 0 ? UInt32(status.st_mode) : nil
}

/// Leaves a socket file behind the way a crashed daemon does: bound, then closed without unlinking.
func makeStaleSocket(at path: String) throws {
    #if os(Linux)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw POSIXFailure(call: "socket") }
    defer { close(descriptor) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard result == 0 else { throw POSIXFailure(call: "bind") }
}

/// A server running in a `ServiceGroup` for the length of a test.
struct RunningServer {
    let server: RPCServer
    let group: ServiceGroup
    let path: String
    let service: TestService

    func client() async throws -> RPCClient {
        try await RPCClient.connect(unixDomainSocketPath: path)
    }
}

/// Runs `body` against a live server on a socket in a temporary directory, then shuts it down gracefully.
func withServer(
    _ configure: (inout RPCServer.Configuration) throws -> Void = { _ in }, service: TestService = TestService(),
    _ body: (RunningServer) async throws -> Void
) async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    var configuration = RPCServer.Configuration(socketPath: directory.path + "/rpc.sock")
    try configure(&configuration)
    let server = RPCServer(configuration: configuration, service: service, logger: .test)
    let group = ServiceGroup(services: [server], gracefulShutdownSignals: [], logger: .test)
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let running = RunningServer(server: server, group: group, path: configuration.socketPath, service: service)
        do {
            try await server.waitUntilListening()
            try await body(running)
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

/// A raw client that sends text and receives lines, for what `RPCClient` would never send.
struct LineClient {
    let channel: any Channel
    let lines: AsyncStream<String>

    static func connect(to path: String) async throws -> LineClient {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(LineCollector(continuation: continuation))
                    return channel
                }
            }
        return LineClient(channel: channel, lines: lines)
    }

    /// Connects to `path` and reads the one notice (id null) a server sends before it closes the connection;
    /// `nil` if it sent none or kept the connection open after it.
    static func closingNotice(at path: String) async throws -> JSONValue? {
        let client = try await connect(to: path)
        var lines = client.lines.makeAsyncIterator()
        guard let notice = try await lines.nextJSON(), notice["id"] == .null, try await lines.nextJSON() == nil
        else { return nil }
        return notice
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    func close() async {
        try? await channel.close()
    }
}

private final class LineCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var framer = LineFramer(maxLineBytes: 16 << 20)
    private let continuation: AsyncStream<String>.Continuation

    init(continuation: AsyncStream<String>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        framer.append(unwrapInboundIn(data))
        while case .line(let line)? = framer.next() {
            continuation.yield(String(buffer: line))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }
}

extension AsyncStream<String>.Iterator {
    /// The next line parsed as JSON; `nil` once the connection closed.
    mutating func nextJSON() async throws -> JSONValue? {
        guard let line = await next() else { return nil }
        return try JSONValue.parse(line)
    }
}
