import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One throwaway PostgreSQL cluster per test process (`regtest/postgres/postgres.sh`; ``shared``, and a TLS-only
/// one, ``tls``, for the TLS tests), started on first use on 127.0.0.1 and a free port, as a non-root user; it
/// stops by itself when the test process exits (its supervisor watches this process), also when a test fails or
/// the process dies.
///
/// Each test takes a database of its own (``database()``). The password is recorded for the run's secret scan.
public actor PostgresServer {
    /// The cluster of this test process.
    public static let shared = PostgresServer(mode: .test)
    /// A second cluster of this test process that accepts TLS connections only (``Mode/tls``).
    public static let tls = PostgresServer(mode: .tls)

    /// How a cluster runs (`postgres.sh start`'s last argument).
    public enum Mode: String, Sendable {
        /// fsync off.
        case test
        /// PostgreSQL's defaults (benchmarks).
        case durable
        /// As `test`, but TLS only (`hostssl`): the server's certificate names `localhost` only (no IP address)
        /// and is signed by ``Cluster/caFile``.
        case tls
    }

    /// A started cluster.
    public struct Cluster: Sendable {
        public let directory: String
        public let port: Int
        public let password: String

        /// ``Mode/tls``: the CA (PEM) that signed the server's certificate.
        public var caFile: String { directory + "/tls/ca.pem" }
        /// ``Mode/tls``: a CA (PEM) unrelated to the server's certificate.
        public var otherCAFile: String { directory + "/tls/other-ca.pem" }
    }

    private let mode: Mode
    private var cluster: Task<Cluster, any Error>?

    private init(mode: Mode) {
        self.mode = mode
    }

    /// The script that starts and stops clusters.
    public static let script = Services.regtest + "/postgres/postgres.sh"

    /// Starts the cluster, once.
    public func started() async throws -> Cluster {
        if let cluster { return try await cluster.value }
        let task = Task { [mode] in try await Self.start(mode) }
        cluster = task
        return try await task.value
    }

    /// A new empty database in this cluster; its `postgres://` URL (with the password) to `host` with `sslmode`.
    public func database(host: String = "127.0.0.1", sslmode: String = "disable") async throws -> String {
        let cluster = try await started()
        let name = "t4g_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try await Self.run(["createdb", cluster.directory, "\(cluster.port)", name])
        return Self.url(cluster, database: name, host: host, sslmode: sslmode)
    }

    /// Starts a cluster of its own in `mode`; stop it with ``stop(_:)``.
    public static func start(_ mode: Mode) async throws -> Cluster {
        let directory = "/tmp/t4g-pg-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let password = (0..<24).map { _ in String(UInt8.random(in: 0...255), radix: 16) }.joined()
        TestRun.recordSecret(text: password, kind: "postgres password")
        try Data(password.utf8).write(to: URL(fileURLWithPath: directory + "/password"))
        let port = try freePort()
        try await run(["start", directory, "\(port)", "\(getpid())", mode.rawValue])
        return Cluster(directory: directory, port: port, password: password)
    }

    /// Stops a cluster started with ``start(_:)``.
    public static func stop(_ cluster: Cluster) async throws {
        try await run(["stop", cluster.directory])
    }

    private static func run(_ arguments: [String]) async throws {
        let output = TemporaryDirectory()
        defer { output.remove() }
        try await Services.run(script, arguments, in: output)
    }

    /// The URL of `database` in `cluster`, to `host` with `sslmode`.
    public static func url(
        _ cluster: Cluster, database: String, host: String = "127.0.0.1", sslmode: String = "disable"
    ) -> String {
        "postgres://t4g:\(cluster.password)@\(host):\(cluster.port)/\(database)?sslmode=\(sslmode)"
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
