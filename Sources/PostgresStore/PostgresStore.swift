import Logging
import NIOSSL
import PostgresNIO
import StoreModel

/// The store in a PostgreSQL database, shared by several daemon instances.
///
/// Queries run on a pooled `PostgresClient`, served by ``serveConnections()`` (the daemon runs it as a service of
/// its group). Concurrent writes share transactions (``PostgresGroupCommit``); every state change and its event
/// commit together, the event into the outbox without an index (``EventOutbox``). One sequencer among the
/// instances (``EventSequencer``, also run by ``serveConnections()``) then gives events their index, so indexes
/// grow by one in commit order across all instances without a lock held across any write's commit, and a reader
/// of "events after N" never skips one indexed later. Leadership of a task and cross-instance wake-ups use
/// dedicated connections (`PostgresStore+Cluster.swift`).
package final class PostgresStore: StoreEngine {
    /// How the store connects.
    package struct Configuration: Sendable {
        /// Server, database, credentials and TLS mode.
        package var address: PostgresAddress
        /// For `verify-full` (refused with another mode): the CA certificates (PEM) the server's certificate must
        /// chain to; `nil` trusts the system's roots.
        package var caFile: String?
        /// The most connections the pool opens.
        package var maximumConnections: Int

        /// Creates a configuration.
        package init(address: PostgresAddress, caFile: String? = nil, maximumConnections: Int = 16) {
            self.address = address
            self.caFile = caFile
            self.maximumConnections = maximumConnections
        }
    }

    let client: PostgresClient
    let connectionConfiguration: PostgresConnection.Configuration
    let logger: Logger
    let instanceClaim = InstanceClaim()
    let groupCommit: PostgresGroupCommit
    let sequencer: EventSequencer

    package var kind: StoreEngineKind { .postgres }

    /// Connects, then applies the schema versions this database lacks (one instance at a time), over a connection
    /// of its own: pooled queries wait until ``serveConnections()`` runs.
    package init(configuration: Configuration, logger: Logger) async throws(StoreError) {
        let address = configuration.address
        if configuration.caFile != nil, address.tlsMode != .verifyFull {
            throw StoreError(
                .invalidLocation,
                "store.ca_file needs sslmode=verify-full (with \(address.tlsMode.rawValue) no certificate is checked)")
        }
        let tls: (client: PostgresClient.Configuration.TLS, connection: PostgresConnection.Configuration.TLS)
        do {
            tls = try Self.tls(address.tlsMode, caFile: configuration.caFile)
        } catch {
            let file = configuration.caFile.map { " (store.ca_file \($0))" } ?? ""
            throw StoreError(.database, "cannot set up TLS for the store\(file): \(Self.reason(error))")
        }
        var clientConfiguration = PostgresClient.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: tls.client)
        clientConfiguration.options.maximumConnections = configuration.maximumConnections
        clientConfiguration.options.connectTimeout = .seconds(5)
        // The name an operator sees in `pg_stat_activity` (and in the server's log with `%a`).
        clientConfiguration.options.additionalStartupParameters = [("application_name", "t4gd")]
        var connectionConfiguration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: tls.connection)
        connectionConfiguration.options.additionalStartupParameters = [("application_name", "t4gd")]
        self.connectionConfiguration = connectionConfiguration
        self.logger = logger
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        self.client = client
        let sequencer = EventSequencer(
            connectionConfiguration: connectionConfiguration, client: client, logger: logger)
        self.sequencer = sequencer
        groupCommit = PostgresGroupCommit(client: client, logger: logger)
        do {
            try await withDedicatedConnection { connection in try await PostgresMigrations.migrate(connection, logger) }
        } catch {
            throw StoreError(.database, "cannot open \(address.redacted): \(Self.reason(error))")
        }
    }

    /// Runs the connection pool, and this instance's part in sequencing events (``EventSequencer``), until the task
    /// is cancelled or a graceful shutdown reaches the pool; pooled queries wait for it and fail once it has ended.
    /// Call it once.
    package func serveConnections() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.sequencer.run() }
            // The pool ends first at a graceful shutdown; the sequencer cannot work without it.
            await group.next()
            group.cancelAll()
        }
    }

    /// Gives up the instance name; the pool stops when ``serveConnections()`` ends.
    package func close() async {
        await instanceClaim.release()
    }

    /// The schema versions recorded in `schema_migrations`, in the order of ``StoreSchema/versions`` (text order
    /// would put `v10` before `v1`), then any this build does not know.
    package func appliedMigrations() async throws(StoreError) -> [String] {
        let applied = try await onConnection("read migrations") { connection in
            Set(
                try await connection.rows("SELECT version FROM schema_migrations", logger).map {
                    try $0.requiredText("version")
                })
        }
        return StoreSchema.versions.filter(applied.contains) + applied.subtracting(StoreSchema.versions).sorted()
    }

    /// `true` when the server answers (PostgreSQL checks its own pages).
    package func integrityCheck() async throws(StoreError) -> Bool {
        try await onConnection("integrity check") { connection in
            try await connection.rows("SELECT 1 AS one", logger).first?.integer("one") == 1
        }
    }

    /// The TLS version the server reports for a pooled connection (`pg_stat_ssl`), `nil` over plain TCP.
    package func tlsVersion() async throws(StoreError) -> String? {
        try await onConnection("read TLS status") { connection in
            try await connection.rows(
                "SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl", logger
            ).first?.text("version")
        }
    }

    /// A PostgreSQL store is backed up with `pg_dump` or the server's replication, not by t4gd.
    package func backup(to path: String) throws(StoreError) {
        throw StoreError(.unsupported, "a PostgreSQL store is backed up with pg_dump or replication")
    }

    /// Runs `body` on a pooled connection, outside a transaction.
    func onConnection<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T)
        async throws(StoreError) -> T
    {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw Self.storeError(error, operation)
        }
    }

    /// Runs `body` in one transaction (READ COMMITTED) and commits it.
    func transaction<T: Sendable>(
        _ operation: String, _ body: (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw Self.storeError(error, operation)
        }
    }

    /// The store error for a failure of `operation`: a ``StoreError`` thrown inside as it is, anything else as
    /// `database` with the server's SQLSTATE and message (never the query or its values).
    static func storeError(_ error: any Error, _ operation: String) -> StoreError {
        var error = error
        if let failed = error as? PostgresTransactionError {
            error = failed.closureError ?? failed.commitError ?? failed.beginError ?? error
        }
        if let error = error as? StoreError { return error }
        return StoreError(.database, "\(operation): \(reason(error))")
    }

    /// The server's SQLSTATE and message, a TLS failure (handshake, certificate, host name), or the error's type:
    /// never the query text or its values.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let state = error.serverInfo?[.sqlState] {
                return state + (error.serverInfo?[.message].map { " (\($0))" } ?? "")
            }
            if error.code == .sslUnsupported { return "\(error.code) (the server does not offer TLS)" }
            if let tls = error.underlying.flatMap(tlsReason) { return "\(error.code) (\(tls))" }
            return "\(error.code)"
        }
        return tlsReason(error) ?? String(describing: type(of: error))
    }

    /// A failure of TLS (the handshake, the server's certificate or its name, a CA file) as text, else `nil`.
    private static func tlsReason(_ error: any Error) -> String? {
        switch error {
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            "TLS: the server's certificate does not name the host"
        case NIOSSLError.handshakeFailed(.sslError(let errors)):
            // BoringSSL's reasons (e.g. CERTIFICATE_VERIFY_FAILED) without their source file and line.
            "TLS handshake failed: " + errors.map { "\($0)".components(separatedBy: " at ")[0] }.joined(separator: "; ")
        case is NIOSSLError, is NIOSSLExtraError, is BoringSSLError: "TLS: \(error)"
        default: nil
        }
    }

    private static func tls(
        _ mode: PostgresAddress.TLSMode, caFile: String?
    ) throws -> (PostgresClient.Configuration.TLS, PostgresConnection.Configuration.TLS) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable: return (.disable, .disable)
        case .prefer, .require: configuration.certificateVerification = .none
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
            if let caFile { configuration.trustRoots = .file(caFile) }
        }
        let context = try NIOSSLContext(configuration: configuration)
        return mode == .prefer
            ? (.prefer(configuration), .prefer(context)) : (.require(configuration), .require(context))
    }
}

extension PostgresRandomAccessRow: StoreRow {
    package func text(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    package func integer(_ column: String) throws -> Int64? { try self[column].decode(Int64?.self) }
}

extension PostgresConnection {
    /// Runs `query` and returns all its rows.
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// One page of `table` newest first (`limit + 1` rows, to tell whether another page follows), optionally of
    /// one status and of one account (served by the `(account, row_id)` index), before the `row_id` `cursor`.
    func newestFirst(
        _ table: String, status: String?, account: String?, limit: Int, cursor: String?, _ logger: Logger
    ) async throws -> [PostgresRandomAccessRow] {
        let before = cursor.flatMap { Int64($0) }
        var query: PostgresQuery = """
            WHERE (\(status)::text IS NULL OR status = \(status)) AND (\(before)::bigint IS NULL OR row_id < \(before))
                AND (\(account)::text IS NULL OR account = \(account))
            ORDER BY row_id DESC LIMIT \(limit + 1)
            """
        query.sql = "SELECT row_id AS cursor_id, * FROM \(table) " + query.sql
        return try await rows(query, logger)
    }

    /// Runs `query`, throwing `code` (with `detail`) when it violates a unique constraint.
    func rows(
        _ query: PostgresQuery, _ logger: Logger, uniqueViolation code: StoreError.Code, _ detail: String
    ) async throws -> [PostgresRandomAccessRow] {
        do {
            return try await rows(query, logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw StoreError(code, detail)
        }
    }
}
