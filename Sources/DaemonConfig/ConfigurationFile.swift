import BOLT11
import DevBackend
import Foundation
import LNbitsBackend
import Lightning
import Logging
import Secp256k1
import Store
import TOML

/// Reads a TOML configuration file into ``DaemonConfiguration``, refusing unknown keys and wrong types with a
/// message that names the key (`rpc.max_batch: expected integer`). Values are never echoed (they may be secrets).
package enum ConfigurationFile {
    /// A configuration problem; `key` is the dotted path of the offending key.
    package struct Problem: Error, Sendable, CustomStringConvertible {
        package let key: String
        package let message: String

        /// A problem with the key at dotted path `key`.
        package init(key: String, message: String) {
            self.key = key
            self.message = message
        }

        package var description: String { "configuration error: \(key): \(message)" }
    }

    private static let sections: [String: Set<String>] = [
        "daemon": ["data_dir", "network", "backend", "backup_dir"],
        "rpc": [
            "socket", "socket_mode", "socket_group", "max_line_bytes", "max_batch", "max_connections",
            "max_in_flight_per_connection", "max_in_flight", "idle_timeout_s", "request_timeout_s",
            "shutdown_grace_s",
        ],
        "roles": ["admin", "invoice", "readonly", "admin_gids", "invoice_gids", "readonly_gids"],
        "rate_limits": Set(
            DaemonConfiguration.Role.allCases.flatMap { ["\($0.rawValue)_requests_per_s", "\($0.rawValue)_burst"] }),
        "store": ["path", "url", "ca_file", "instance", "full_sync"],
        "dev": ["ledger", "starting_balance_msat", "fee_base_msat", "fee_ppm", "alias", "payment_latency"],
        "payments": ["timeout_s", "reconcile_interval_s"],
        "log": ["level", "format"],
        "metrics": ["enabled", "listen"],
        "proofs": ["trusted_issuers"],
        "lnd": [
            "rest_url", "tls_cert_path", "macaroon_path", "timeout_s", "private_invoices", "max_connections",
            "max_streams", "subscription_idle_s",
        ],
        "lnbits": ["url", "invoice_key", "admin_key", "timeout_s", "push", "poll_interval_s", "own_invoice_check"],
        "rates": rateKeys,
    ]

    /// Applies the file's text on top of `configuration`.
    package static func apply(_ text: String, to configuration: inout DaemonConfiguration) throws(Problem) {
        let root: TOMLTable
        do {
            root = try TOMLTable(parsing: text)
        } catch {
            throw Problem(key: "(file)", message: error.description)
        }
        if let unknown = root.unknownKeys(allowed: Set(sections.keys)).first {
            throw Problem(key: unknown, message: "unknown section")
        }
        for (name, allowed) in sections {
            guard let table = try read(name, { try root.table(name) }) else { continue }
            if let unknown = table.unknownKeys(allowed: allowed).first {
                throw Problem(key: unknown, message: "unknown key")
            }
            try apply(section: name, table, to: &configuration)
        }
    }

    /// Applies command-line flags given as (`section.key`, string value) pairs, validated like the file.
    package static func applyFlags(_ flags: [(String, String?)], to configuration: inout DaemonConfiguration)
        throws(Problem)
    {
        var sections: [String: [String]] = [:]
        for (path, value) in flags {
            guard let value, let dot = path.firstIndex(of: ".") else { continue }
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                of: "\"", with: "\\\"")
            sections[String(path[..<dot]), default: []].append("\(path[path.index(after: dot)...]) = \"\(escaped)\"")
        }
        let text = sections.map { "[\($0.key)]\n" + $0.value.joined(separator: "\n") }.joined(separator: "\n")
        try apply(text, to: &configuration)
    }

    private static func apply(section: String, _ table: TOMLTable, to c: inout DaemonConfiguration) throws(Problem) {
        func key(_ name: String) -> String { "\(section).\(name)" }
        func string(_ name: String) throws(Problem) -> String? { try read(key(name)) { try table.string(name) } }
        func integer(_ name: String, _ range: ClosedRange<Int64>) throws(Problem) -> Int64? {
            guard let value = try read(key(name), { try table.integer(name) }) else { return nil }
            guard range.contains(value) else {
                throw Problem(key: key(name), message: "must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return value
        }
        func bool(_ name: String) throws(Problem) -> Bool? { try read(key(name)) { try table.bool(name) } }
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _: T.Type) throws(Problem) -> T?
        where T.RawValue == String {
            guard let raw = try string(name) else { return nil }
            guard let value = T(rawValue: raw) else {
                throw Problem(
                    key: key(name), message: "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return value
        }
        let large: ClosedRange<Int64> = 1...Int64(Int32.max)
        switch section {
        case "daemon":
            if let value = try string("data_dir") { c.dataDirectory = value }
            if let value = try string("backup_dir") {
                guard value.hasPrefix("/") else {
                    throw Problem(key: key("backup_dir"), message: "must be an absolute path")
                }
                c.backupDirectory = value
            }
            if let value = try choice("network", Network.self) { c.network = value }
            if let value = try choice("backend", DaemonConfiguration.BackendKind.self) { c.backend = value }
        case "rpc":
            if let value = try string("socket") { c.socketPath = value }
            if let value = try string("socket_mode") {
                guard let mode = UInt16(value, radix: 8), mode <= 0o777 else {
                    throw Problem(key: key("socket_mode"), message: "must be an octal mode such as \"0660\"")
                }
                c.socketMode = mode
            }
            if let value = try socketGroup(table) { c.socketGroup = value }
            if let value = try integer("max_line_bytes", 1024...Int64(64 << 20)) { c.maxLineBytes = Int(value) }
            if let value = try integer("max_batch", 1...10_000) { c.maxBatch = Int(value) }
            if let value = try integer("max_connections", 1...1_000_000) { c.maxConnections = Int(value) }
            if let value = try integer("max_in_flight_per_connection", 1...100_000) {
                c.maxInFlightPerConnection = Int(value)
            }
            if let value = try integer("max_in_flight", 1...1_000_000) { c.maxInFlight = Int(value) }
            if let value = try integer("idle_timeout_s", large) { c.idleTimeoutSeconds = value }
            if let value = try integer("request_timeout_s", 1...3600) { c.requestTimeoutSeconds = value }
            if let value = try integer("shutdown_grace_s", 0...3600) { c.shutdownGraceSeconds = value }
        case "roles":
            try applyRoles(table, to: &c)
        case "rate_limits":
            try applyRateLimits(table, to: &c)
        case "store":
            if let value = try string("path") { c.storePath = value }
            if let value = try string("url") {
                do {
                    c.storeLocation = try StoreLocation(url: value)
                } catch {
                    throw Problem(key: key("url"), message: error.detail)
                }
            }
            if c.storePath != nil, case .postgres = c.storeLocation {
                throw Problem(key: key("path"), message: "cannot be combined with a postgres:// store.url")
            }
            c.storeCAFile = try string("ca_file") ?? c.storeCAFile
            if let value = try string("instance") {
                guard !value.isEmpty, value.count <= 64,
                    value.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
                else { throw Problem(key: key("instance"), message: "must be 1-64 letters, digits, '-', '_' or '.'") }
                c.instanceName = value
            }
            if let value = try bool("full_sync") { c.storeFullSync = value }
        case "dev":
            if let value = try string("ledger") { c.devLedgerPath = value }
            if let value = try integer("starting_balance_msat", 0...2_100_000_000_000_000_000) {
                c.devStartingBalance = MilliSatoshi(value)
            }
            if let value = try integer("fee_base_msat", 0...Int64(UInt32.max)) { c.devFeeBase = MilliSatoshi(value) }
            if let value = try integer("fee_ppm", 0...1_000_000) { c.devFeeProportionalMillionths = value }
            if let value = try string("alias") { c.devAlias = value }
            if let value = try string("payment_latency") {
                guard let latency = DevPaymentLatency(value) else {
                    throw Problem(
                        key: key("payment_latency"),
                        message:
                            "must be \"none\", \"hold\", milliseconds or \"MIN-MAX\" milliseconds (at most 3600000)")
                }
                c.devPaymentLatency = latency
            }
        case "payments":
            if let value = try integer("timeout_s", 1...86_400) { c.paymentTimeoutSeconds = value }
            if let value = try integer("reconcile_interval_s", 1...3600) { c.reconcileIntervalSeconds = value }
        case "lnd":
            c.lndRESTURL = try string("rest_url") ?? c.lndRESTURL
            c.lndTLSCertPath = try string("tls_cert_path") ?? c.lndTLSCertPath
            c.lndMacaroonPath = try string("macaroon_path") ?? c.lndMacaroonPath
            if let value = try integer("timeout_s", 1...600) { c.backendTimeoutSeconds = value }
            if let value = try bool("private_invoices") { c.lndPrivateInvoices = value }
            if let value = try integer("max_connections", 1...1024) { c.lndMaxConnections = value }
            if let value = try integer("max_streams", 1...4096) { c.lndMaxStreams = value }
            if let value = try integer("subscription_idle_s", 5...86_400) { c.lndSubscriptionIdleSeconds = value }
        case "lnbits":
            c.lnbitsURL = try string("url") ?? c.lnbitsURL
            c.lnbitsInvoiceKey = try string("invoice_key") ?? c.lnbitsInvoiceKey
            c.lnbitsAdminKey = try string("admin_key") ?? c.lnbitsAdminKey
            if let value = try integer("timeout_s", 1...600) { c.backendTimeoutSeconds = value }
            if let value = try bool("push") { c.lnbitsPush = value }
            if let value = try integer("poll_interval_s", 1...3600) { c.lnbitsPollIntervalSeconds = value }
            if let value = try choice("own_invoice_check", LNbitsBackend.Configuration.OwnInvoiceCheck.self) {
                c.lnbitsOwnInvoiceCheck = value
            }
        case "rates":
            try applyRates(table, to: &c)
        case "proofs":
            for text in try read(key("trusted_issuers"), { try table.stringArray("trusted_issuers") }) ?? [] {
                guard let bytes = [UInt8](hex: text), let issuer = try? XOnlyPublicKey(bytes: bytes) else {
                    throw Problem(key: key("trusted_issuers"), message: "must list x-only public keys in hex")
                }
                c.trustedIssuers.append(issuer)
            }
        case "metrics":
            if let value = try bool("enabled") { c.metricsEnabled = value }
            if let value = try string("listen") {
                guard let (address, port) = ListenAddress.parse(value) else {
                    throw Problem(
                        key: key("listen"), message: "must be IP:PORT such as \"127.0.0.1:9464\" or \"[::1]:9464\"")
                }
                (c.metricsAddress, c.metricsPort) = (address, port)
            }
        case "log":
            if let value = try string("level") {
                guard let level = Logger.Level(rawValue: value) else {
                    throw Problem(
                        key: key("level"),
                        message: "must be one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
                }
                c.logLevel = level
            }
            if let value = try choice("format", DaemonConfiguration.LogFormat.self) { c.logFormat = value }
        default: break
        }
    }

    static func read<T>(_ key: String, _ body: () throws -> T) throws(Problem) -> T {
        do {
            return try body()
        } catch {
            throw Problem(key: key, message: "\(error)")
        }
    }
}
