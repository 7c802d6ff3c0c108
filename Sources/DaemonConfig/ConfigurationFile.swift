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
        try apply(root, to: &configuration)
    }

    /// Applies command-line flags given as (`section.key`, value) pairs on top of `configuration`. Each value goes
    /// into a table as the string the file would hold for that key and through the same readers, so a flag and a
    /// file key give the same typed value and the same refusal; nothing is written out as TOML text to be parsed.
    package static func applyFlags(_ flags: [(String, String?)], to configuration: inout DaemonConfiguration)
        throws(Problem)
    {
        var root = TOMLTable()
        for (path, value) in flags {
            guard let value, let dot = path.firstIndex(of: ".") else { continue }
            let section = String(path[..<dot])
            var table = TOMLTable()
            if case .table(let given)? = root[section] { table = given }
            table[String(path[path.index(after: dot)...])] = .string(value)
            root[section] = .table(table)
        }
        try apply(root, to: &configuration)
    }

    /// Applies a configuration tree (a parsed file, or flags) on top of `configuration`, refusing unknown sections
    /// and keys.
    private static func apply(_ root: TOMLTable, to configuration: inout DaemonConfiguration) throws(Problem) {
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
            if let value = try string("socket") { c.rpc.socketPath = value }
            if let value = try string("socket_mode") {
                guard let mode = UInt16(value, radix: 8), mode <= 0o777 else {
                    throw Problem(key: key("socket_mode"), message: "must be an octal mode such as \"0660\"")
                }
                c.rpc.socketMode = mode
            }
            if let value = try socketGroup(table) { c.rpc.socketGroup = value }
            if let value = try integer("max_line_bytes", 1024...Int64(64 << 20)) { c.rpc.maxLineBytes = Int(value) }
            if let value = try integer("max_batch", 1...10_000) { c.rpc.maxBatch = Int(value) }
            if let value = try integer("max_connections", 1...1_000_000) { c.rpc.maxConnections = Int(value) }
            if let value = try integer("max_in_flight_per_connection", 1...100_000) {
                c.rpc.maxInFlightPerConnection = Int(value)
            }
            if let value = try integer("max_in_flight", 1...1_000_000) { c.rpc.maxInFlight = Int(value) }
            if let value = try integer("idle_timeout_s", large) { c.rpc.idleTimeoutSeconds = value }
            if let value = try integer("request_timeout_s", 1...3600) { c.rpc.requestTimeoutSeconds = value }
            if let value = try integer("shutdown_grace_s", 0...3600) { c.rpc.shutdownGraceSeconds = value }
        case "roles":
            try applyRoles(table, to: &c)
        case "rate_limits":
            try applyRateLimits(table, to: &c)
        case "store":
            if let value = try string("path") { c.store.path = value }
            if let value = try string("url") {
                do {
                    c.store.location = try StoreLocation(url: value)
                } catch {
                    throw Problem(key: key("url"), message: error.detail)
                }
            }
            if c.store.path != nil, case .postgres = c.store.location {
                throw Problem(key: key("path"), message: "cannot be combined with a postgres:// store.url")
            }
            c.store.caFile = try string("ca_file") ?? c.store.caFile
            if let value = try string("instance") {
                guard !value.isEmpty, value.count <= 64,
                    value.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
                else { throw Problem(key: key("instance"), message: "must be 1-64 letters, digits, '-', '_' or '.'") }
                c.store.instanceName = value
            }
            if let value = try bool("full_sync") { c.store.fullSync = value }
        case "dev":
            if let value = try string("ledger") { c.dev.ledgerPath = value }
            if let value = try integer("starting_balance_msat", 0...2_100_000_000_000_000_000) {
                c.dev.startingBalance = MilliSatoshi(value)
            }
            if let value = try integer("fee_base_msat", 0...Int64(UInt32.max)) { c.dev.feeBase = MilliSatoshi(value) }
            if let value = try integer("fee_ppm", 0...1_000_000) { c.dev.feeProportionalMillionths = value }
            if let value = try string("alias") { c.dev.alias = value }
            if let value = try string("payment_latency") {
                guard let latency = DevPaymentLatency(value) else {
                    throw Problem(
                        key: key("payment_latency"),
                        message:
                            "must be \"none\", \"hold\", milliseconds or \"MIN-MAX\" milliseconds (at most 3600000)")
                }
                c.dev.paymentLatency = latency
            }
        case "payments":
            if let value = try integer("timeout_s", 1...86_400) { c.payments.timeoutSeconds = value }
            if let value = try integer("reconcile_interval_s", 1...3600) { c.payments.reconcileIntervalSeconds = value }
        case "lnd":
            c.lnd.restURL = try string("rest_url") ?? c.lnd.restURL
            c.lnd.tlsCertPath = try string("tls_cert_path") ?? c.lnd.tlsCertPath
            c.lnd.macaroonPath = try string("macaroon_path") ?? c.lnd.macaroonPath
            if let value = try integer("timeout_s", 1...600) { c.backendTimeoutSeconds = value }
            if let value = try bool("private_invoices") { c.lnd.privateInvoices = value }
            if let value = try integer("max_connections", 1...1024) { c.lnd.maxConnections = value }
            if let value = try integer("max_streams", 1...4096) { c.lnd.maxStreams = value }
            if let value = try integer("subscription_idle_s", 5...86_400) { c.lnd.subscriptionIdleSeconds = value }
        case "lnbits":
            c.lnbits.url = try string("url") ?? c.lnbits.url
            c.lnbits.invoiceKey = try string("invoice_key") ?? c.lnbits.invoiceKey
            c.lnbits.adminKey = try string("admin_key") ?? c.lnbits.adminKey
            if let value = try integer("timeout_s", 1...600) { c.backendTimeoutSeconds = value }
            if let value = try bool("push") { c.lnbits.push = value }
            if let value = try integer("poll_interval_s", 1...3600) { c.lnbits.pollIntervalSeconds = value }
            if let value = try choice("own_invoice_check", LNbitsBackend.Configuration.OwnInvoiceCheck.self) {
                c.lnbits.ownInvoiceCheck = value
            }
        case "rates":
            try applyRates(table, to: &c)
        case "proofs":
            for text in try read(key("trusted_issuers"), { try table.stringArray("trusted_issuers") }) ?? [] {
                guard let bytes = [UInt8](hex: text), let issuer = try? XOnlyPublicKey(bytes: bytes) else {
                    throw Problem(key: key("trusted_issuers"), message: "must list x-only public keys in hex")
                }
                c.proofs.trustedIssuers.append(issuer)
            }
        case "metrics":
            if let value = try bool("enabled") { c.metrics.enabled = value }
            if let value = try string("listen") {
                guard let (address, port) = ListenAddress.parse(value) else {
                    throw Problem(
                        key: key("listen"), message: "must be IP:PORT such as \"127.0.0.1:9464\" or \"[::1]:9464\"")
                }
                (c.metrics.address, c.metrics.port) = (address, port)
            }
        case "log":
            if let value = try string("level") {
                guard let level = Logger.Level(rawValue: value) else {
                    throw Problem(
                        key: key("level"),
                        message: "must be one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
                }
                c.log.level = level
            }
            if let value = try choice("format", DaemonConfiguration.LogFormat.self) { c.log.format = value }
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
