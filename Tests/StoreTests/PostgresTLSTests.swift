import PostgresStore
import Store
import TestSupport
import Testing

/// TLS to PostgreSQL, through the store's public configuration (`store.url`'s `sslmode`, `store.ca_file`) as
/// the daemon opens it, against the test process's TLS-only cluster (``PostgresServer/tls``): it refuses plain
/// TCP (`hostssl`), and its certificate, signed by a throwaway CA, names `localhost` only (no IP address).
@Suite struct PostgresTLSTests {
    /// Opens a store on a new database of `server` through `host` with `sslmode` (and `caFile`).
    func open(
        _ server: PostgresServer = .tls, host: String = "localhost", sslmode: String, caFile: String? = nil
    ) async throws -> Store {
        let url = try await server.database(host: host, sslmode: sslmode)
        return try await Store(configuration: .init(location: try StoreLocation(url: url), caFile: caFile))
    }

    /// The server's report of the store's connection: its TLS version, `nil` without TLS.
    func tlsVersion(_ store: Store) async throws -> String? {
        try await #require(store.base as? PostgresStore).tlsVersion()
    }

    /// Writes an event and reads it back.
    func expectWritesAndReads(_ store: Store) async throws {
        let event = try await store.appendEvent(NewEvent(type: "tls", at: 1, data: "{}"))
        #expect(try await store.events(after: 0, limit: 10).map(\.index) == [event.index])
    }

    /// Opening fails with a store error that mentions every text of `mentions` and not the password.
    func expectRefused(
        _ server: PostgresServer = .tls, host: String = "localhost", sslmode: String, caFile: String? = nil,
        mentions: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let password = try await server.started().password
        let error = await #expect(throws: StoreError.self, sourceLocation: sourceLocation) {
            _ = try await open(server, host: host, sslmode: sslmode, caFile: caFile)
        }
        let message = error.map { "\($0)" } ?? ""
        for text in mentions {
            #expect(message.contains(text), "\(message)", sourceLocation: sourceLocation)
        }
        #expect(!message.contains(password), sourceLocation: sourceLocation)
    }

    @Test func requireConnectsOverTLSWithoutCheckingTheCertificate() async throws {
        // 127.0.0.1 is not in the certificate: `require` encrypts but checks neither the chain nor the name.
        let store = try await open(host: "127.0.0.1", sslmode: "require")
        try await expectWritesAndReads(store)
        #expect(try await tlsVersion(store)?.hasPrefix("TLSv1.") == true)
    }

    @Test func verifyFullConnectsWithTheCAThatSignedTheServersCertificate() async throws {
        let cluster = try await PostgresServer.tls.started()
        let store = try await open(sslmode: "verify-full", caFile: cluster.caFile)
        try await expectWritesAndReads(store)
        #expect(try await tlsVersion(store)?.hasPrefix("TLSv1.") == true)
    }

    @Test func verifyFullRefusesACertificateFromAnotherCA() async throws {
        let cluster = try await PostgresServer.tls.started()
        try await expectRefused(
            sslmode: "verify-full", caFile: cluster.otherCAFile, mentions: ["TLS", "CERTIFICATE_VERIFY_FAILED"])
    }

    @Test func verifyFullWithoutACAFileTrustsOnlyTheSystemsRoots() async throws {
        try await expectRefused(sslmode: "verify-full", mentions: ["TLS"])
    }

    @Test func verifyFullRefusesAHostTheCertificateDoesNotName() async throws {
        let cluster = try await PostgresServer.tls.started()
        try await expectRefused(
            host: "127.0.0.1", sslmode: "verify-full", caFile: cluster.caFile,
            mentions: ["TLS", "does not name the host"])
    }

    @Test func verifyFullWithAMissingCAFileIsRefused() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try await expectRefused(
            sslmode: "verify-full", caFile: directory.file("missing.pem"),
            mentions: ["cannot set up TLS", "store.ca_file", "missing.pem"])
    }

    @Test func aCAFileWithAModeThatChecksNoCertificateIsRefused() async throws {
        let cluster = try await PostgresServer.tls.started()
        for mode in ["require", "prefer", "disable"] {
            try await expectRefused(sslmode: mode, caFile: cluster.caFile, mentions: ["store.ca_file", "verify-full"])
        }
    }

    @Test func disableIsRefusedByAServerThatRequiresTLS() async throws {
        try await expectRefused(host: "127.0.0.1", sslmode: "disable", mentions: ["28000", "no encryption"])
    }

    @Test func preferUsesTLSWhenTheServerOffersItAndPlainTCPWhenNot() async throws {
        let encrypted = try await open(sslmode: "prefer")
        try await expectWritesAndReads(encrypted)
        #expect(try await tlsVersion(encrypted)?.hasPrefix("TLSv1.") == true)
        let plain = try await open(.shared, host: "127.0.0.1", sslmode: "prefer")
        try await expectWritesAndReads(plain)
        #expect(try await tlsVersion(plain) == nil)
    }

    @Test func requireIsRefusedByAServerWithoutTLS() async throws {
        try await expectRefused(
            .shared, host: "127.0.0.1", sslmode: "require", mentions: ["sslUnsupported", "does not offer TLS"])
    }
}
