import Foundation

/// Where the store lives, from `store.url`: `sqlite:PATH` or `postgres://user[:password]@host[:port]/database`
/// with `?sslmode=disable|prefer|require|verify-full` (`verify-full` checks the server's certificate against
/// `store.ca_file` and its name).
package enum StoreLocation: Sendable, Hashable {
    /// A SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresAddress)

    /// The engine this location selects.
    package var kind: StoreEngineKind {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Parses a store URL; the error names what is wrong, never the password.
    package init(url: String) throws(StoreError) {
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StoreError(.invalidLocation, "sqlite: needs a file path") }
            self = .sqlite(path: path)
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(try PostgresAddress(url: url))
        } else {
            throw StoreError(.invalidLocation, "must start with sqlite: or postgres://")
        }
    }

    /// The location as text with the password masked, safe to log.
    package var redacted: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let address): address.redacted
        }
    }
}

/// The engines a store can use.
public enum StoreEngineKind: String, Sendable, CaseIterable, Hashable {
    case sqlite, postgres
}

/// A PostgreSQL server, database and credentials, parsed from a `postgres://` URL.
package struct PostgresAddress: Sendable, Hashable {
    /// How the connection uses TLS (libpq's `sslmode` names).
    package enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without checking its certificate.
        case prefer
        /// TLS always, without checking the certificate.
        case require
        /// TLS always, the certificate checked against the CA file (or the system's trust roots) and the host name.
        case verifyFull = "verify-full"
    }

    package var host: String
    package var port: Int
    package var user: String
    /// Secret: never logged, never in an error.
    package var password: String?
    package var database: String
    package var tlsMode: TLSMode

    /// Creates an address.
    package init(
        host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
        tlsMode: TLSMode = .disable
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
    }

    /// Parses `postgres://user[:password]@host[:port]/database[?sslmode=MODE]` (user, password and database
    /// percent-decoded).
    package init(url: String) throws(StoreError) {
        guard let schemeEnd = url.range(of: "://") else { throw StoreError(.invalidLocation, "is not a URL") }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw StoreError(.invalidLocation, "postgres URL needs /DATABASE")
        }
        let database = Self.decoded(rest[rest.index(after: slash)...])
        var authority = rest[..<slash]
        var user = "postgres"
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = Self.decoded(credentials[..<colon])
                password = Self.decoded(credentials[credentials.index(after: colon)...])
            } else {
                user = Self.decoded(credentials)
            }
        }
        var host = String(authority)
        var port = 5432
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let parsed = Int(authority[authority.index(after: colon)...]), (1...65535).contains(parsed) else {
                throw StoreError(.invalidLocation, "postgres URL has an invalid port")
            }
            port = parsed
            host = String(authority[..<colon])
        }
        host = host.trimmingCharacters(in: ["[", "]"])
        guard !host.isEmpty, !database.isEmpty, !user.isEmpty else {
            throw StoreError(.invalidLocation, "postgres URL needs a user, a host and a database")
        }
        var tlsMode = TLSMode.disable
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == "sslmode" else {
                throw StoreError(.invalidLocation, "postgres URL supports only the sslmode parameter")
            }
            guard let mode = TLSMode(rawValue: parts[1]) else {
                let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw StoreError(.invalidLocation, "sslmode must be one of \(modes)")
            }
            tlsMode = mode
        }
        self.init(host: host, port: port, user: user, password: password, database: database, tlsMode: tlsMode)
    }

    /// The URL with the password replaced by `***`.
    package var redacted: String {
        "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
    }

    private static func decoded(_ text: Substring) -> String {
        String(text).removingPercentEncoding ?? String(text)
    }
}
