import DaemonConfig
import DevBackend
import Foundation
import LNbitsBackend
import Store
import TestSupport
import Testing

@Suite struct ConfigurationTests {
    func problem(_ text: String) -> String? {
        var configuration = DaemonConfiguration()
        do {
            try ConfigurationFile.apply(text, to: &configuration)
            return nil
        } catch {
            return error.key
        }
    }

    @Test func defaultsRunTheDevBackendOnRegtestInData() {
        let configuration = DaemonConfiguration()
        #expect(configuration.backend == .dev)
        #expect(configuration.network == .regtest)
        #expect(configuration.resolvedSocketPath == "./data/t4gd.sock")
    }

    /// A file of the repository's `Config/` folder.
    static func shippedConfiguration(_ name: String) throws -> String {
        try String(
            contentsOfFile: #filePath.replacingOccurrences(
                of: "Tests/DaemonTests/ConfigurationTests.swift", with: "Config/" + name), encoding: .utf8)
    }

    @Test func theShippedRateSourcesAreAValidRatesSection() throws {
        let text = try Self.shippedConfiguration("rates.toml")
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply(text, to: &configuration)
        #expect(configuration.rates.sources.map(\.name) == ["kraken", "bitstamp", "coinbase", "bitfinex", "coingecko"])
        #expect(configuration.rates.sources.allSatisfy { $0.url.hasPrefix("https://") })
        #expect(configuration.rates.policy.minimumSources == 2)
    }

    @Test func rateSourcesAreCheckedAtStart() {
        let source = "[[rates.source]]\nname = \"a\"\npath = \"p\"\ncurrencies = [\"EUR\"]\n"
        #expect(
            problem("[rates]\nmin_sources = 1\n" + source + "url = \"http://example.com/\"\n") == "rates.source[0].url")
        #expect(
            problem("[rates]\nmin_sources = 1\n" + source + "url = \"https://x/\"\ncurrencies = [\"EURO\"]\n")
                != nil)
        #expect(problem("[rates]\nmin_sources = 2\n" + source + "url = \"https://x/\"\n") == "rates.min_sources")
        #expect(problem("[rates]\nmin_sources = 1\n" + source + "url = \"https://x/\"\n") == nil)
    }

    @Test func theExampleFileIsValidAndHoldsTheDefaults() throws {
        let text = try Self.shippedConfiguration("t4gd.toml")
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply(text, to: &configuration)
        let defaults = DaemonConfiguration()
        #expect(configuration.maxBatch == defaults.maxBatch)
        #expect(configuration.socketMode == 0o660)
        #expect(configuration.devStartingBalance == defaults.devStartingBalance)
        #expect(configuration.rateLimits == defaults.rateLimits)
        #expect(configuration.metricsEnabled == defaults.metricsEnabled)
        #expect(configuration.metricsAddress == defaults.metricsAddress)
        #expect(configuration.metricsPort == defaults.metricsPort)
        #expect(configuration.devPaymentLatency == defaults.devPaymentLatency)
        #expect(configuration.lndPrivateInvoices == defaults.lndPrivateInvoices)
        #expect(configuration.lndMaxConnections == defaults.lndMaxConnections)
        #expect(configuration.lndMaxStreams == defaults.lndMaxStreams)
        #expect(configuration.lndSubscriptionIdleSeconds == defaults.lndSubscriptionIdleSeconds)
    }

    @Test func readsTheRealNodeKeys() throws {
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply(
            """
            [dev]
            payment_latency = "1000-60000"
            [lnd]
            private_invoices = false
            max_connections = 4
            max_streams = 32
            subscription_idle_s = 30
            """, to: &configuration)
        #expect(configuration.devPaymentLatency == .uniform(milliseconds: 1000...60000))
        #expect(!configuration.lndPrivateInvoices)
        #expect(configuration.lndMaxConnections == 4)
        #expect(configuration.lndMaxStreams == 32)
        #expect(configuration.lndSubscriptionIdleSeconds == 30)
    }

    @Test(arguments: [
        ("[rpc]\nmax_batch = \"x\"", "rpc.max_batch"), ("[rpc]\nmax_batch = 0", "rpc.max_batch"),
        ("[daemon]\nnetwork = \"moon\"", "daemon.network"), ("[lnd]\nrest_ulr = \"x\"", "lnd.rest_ulr"),
        ("[lndx]\na = 1", "lndx"),
        ("[dev]\nledgr = \"x\"", "dev.ledgr"), ("[rpc]\nsocket_mode = \"999\"", "rpc.socket_mode"),
        ("[roles]\nadmin = [\"t4g-no-such-user\"]", "roles.admin"), ("[log]\nlevel = \"loud\"", "log.level"),
        ("[daemon\n", "(file)"), ("[metrics]\nlisten = \"localhost:9464\"", "metrics.listen"),
        ("[metrics]\nlisten = \"127.0.0.1:70000\"", "metrics.listen"),
        ("[metrics]\nlisten = \"::1:9464\"", "metrics.listen"),
        ("[metrics]\nenabled = \"yes\"", "metrics.enabled"), ("[metrics]\nport = 1", "metrics.port"),
        ("[store]\nurl = \"mysql://x\"", "store.url"), ("[store]\nurl = \"postgres://u@h:99999/db\"", "store.url"),
        ("[store]\nurl = \"postgres://u@h/db?sslmode=maybe\"", "store.url"),
        ("[store]\nurl = \"sqlite:\"", "store.url"),
        ("[store]\npath = \"/a\"\nurl = \"postgres://u@h/db\"", "store.path"),
        ("[store]\ninstance = \"a b\"", "store.instance"),
        ("[dev]\npayment_latency = \"slow\"", "dev.payment_latency"),
        ("[lnd]\nmax_streams = 0", "lnd.max_streams"), ("[lnd]\nsubscription_idle_s = 1", "lnd.subscription_idle_s"),
    ])
    func badValuesNameTheirKey(text: String, key: String) {
        #expect(problem(text) == key)
    }

    @Test func aPostgresStoreURLIsParsedAndItsPasswordNeverShown() throws {
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply(
            "[store]\nurl = \"postgres://t4gd:s%40cret@db.internal:6432/pay?sslmode=verify-full\"\nca_file = \"/ca.pem\"",
            to: &configuration)
        guard case .postgres(let address) = configuration.resolvedStoreLocation else {
            Issue.record("not a postgres store")
            return
        }
        #expect(
            address
                == PostgresAddress(
                    host: "db.internal", port: 6432, user: "t4gd", password: "s@cret", database: "pay",
                    tlsMode: .verifyFull))
        #expect(configuration.storeCAFile == "/ca.pem")
        #expect(!configuration.resolvedStoreLocation.redacted.contains("cret"))
        var broken = DaemonConfiguration()
        do {
            try ConfigurationFile.apply("[store]\nurl = \"postgres://t4gd:s3cret@h:0/pay\"", to: &broken)
            Issue.record("accepted port 0")
        } catch {
            #expect(!error.description.contains("s3cret"))
        }
        #expect(DaemonConfiguration().resolvedStoreLocation == .sqlite(path: "./data/t4gd.sqlite"))
    }

    @Test func flagsOverrideTheFile() throws {
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply("[daemon]\nnetwork = \"signet\"", to: &configuration)
        try ConfigurationFile.applyFlags(
            [("daemon.network", "testnet"), ("rpc.socket", "/tmp/a \"b\".sock")], to: &configuration)
        #expect(configuration.network == .testnet)
        #expect(configuration.resolvedSocketPath == "/tmp/a \"b\".sock")
    }

    @Test func metricsListenTakesIPv4AndIPv6AndTheOffSwitch() throws {
        var configuration = DaemonConfiguration()
        #expect(configuration.metricsEnabled && configuration.metricsAddress == "127.0.0.1")
        try ConfigurationFile.apply("[metrics]\nenabled = false\nlisten = \"[::1]:0\"", to: &configuration)
        #expect(!configuration.metricsEnabled)
        #expect(configuration.metricsAddress == "::1" && configuration.metricsPort == 0)
        try ConfigurationFile.applyFlags([("metrics.listen", "127.0.0.2:9100")], to: &configuration)
        #expect(configuration.metricsAddress == "127.0.0.2" && configuration.metricsPort == 9100)
    }

    @Test(arguments: [
        ("push = \"yes\"", "lnbits.push"), ("push = 1", "lnbits.push"), ("push = \"true\"", "lnbits.push"),
        ("poll_interval_s = 0", "lnbits.poll_interval_s"), ("poll_interval_s = -2", "lnbits.poll_interval_s"),
        ("poll_interval_s = 3601", "lnbits.poll_interval_s"), ("poll_interval_s = \"2\"", "lnbits.poll_interval_s"),
        ("poll_interval_s = 1.5", "lnbits.poll_interval_s"), ("pol_interval_s = 2", "lnbits.pol_interval_s"),
        ("own_invoice_check = \"never\"", "lnbits.own_invoice_check"),
        ("own_invoice_check = true", "lnbits.own_invoice_check"),
    ])
    func badLNbitsPushSettingsNameTheirKey(line: String, key: String) throws {
        var configuration = DaemonConfiguration()
        do {
            try ConfigurationFile.apply("[lnbits]\n\(line)", to: &configuration)
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.key == key)
            #expect("\(error)".hasPrefix("configuration error: \(key): "), "\(error)")
        }
        #expect(configuration.lnbitsPush == DaemonConfiguration().lnbitsPush)
        #expect(configuration.lnbitsPollIntervalSeconds == DaemonConfiguration().lnbitsPollIntervalSeconds)
        #expect(configuration.lnbitsOwnInvoiceCheck == .store)
    }

    @Test func lnbitsPushSettingsInRangeAreTaken() throws {
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply("[lnbits]\npush = false\npoll_interval_s = 3600", to: &configuration)
        #expect(!configuration.lnbitsPush)
        #expect(configuration.lnbitsPollIntervalSeconds == 3600)
        try ConfigurationFile.apply("[lnbits]\npoll_interval_s = 1", to: &configuration)
        #expect(configuration.lnbitsPollIntervalSeconds == 1)
        try ConfigurationFile.apply("[lnbits]\nown_invoice_check = \"lnbits\"", to: &configuration)
        #expect(configuration.lnbitsOwnInvoiceCheck == .lnbits)
    }

    /// t4gd refuses to start on a bad `[lnbits]` value: exit status 78 (EX_CONFIG) and the key on stderr, before
    /// it touches the backend (the URL and keys here lead nowhere).
    @Test(arguments: [
        ("push = \"sometimes\"", "lnbits.push"), ("poll_interval_s = 0", "lnbits.poll_interval_s"),
    ])
    func t4gdRefusesToStartOnABadLNbitsValue(line: String, key: String) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let config = directory.file("t4gd.toml")
        try """
        [daemon]
        backend = "lnbits"
        network = "mainnet"
        [lnbits]
        url = "http://127.0.0.1:9"
        invoice_key = "0123"
        \(line)
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = DaemonProcess.productsDirectory.appendingPathComponent("t4gd")
        process.arguments = ["--config", config, "--data-dir", directory.file("data")]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = try await blocking {
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        #expect(process.terminationStatus == 78)
        #expect(stderr.contains("configuration error: \(key): "), "\(stderr)")
    }

    @Test func rolesMapUIDsAndGIDs() throws {
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply("[roles]\nreadonly = [1001]\ninvoice_gids = [2000]", to: &configuration)
        #expect(configuration.role(uid: 1001, gid: 5) { [] } == .readonly)
        #expect(configuration.role(uid: 1002, gid: 2000) { [] } == .invoice)
        #expect(configuration.role(uid: 1003, gid: 5) { [] } == nil)
        #expect(configuration.role(uid: 0, gid: 0) { [] } == .admin)
    }

    @Test func rolesTakeUserAndGroupNamesAndMatchSupplementaryGroups() throws {
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply(
            "[roles]\nreadonly = [\"nobody\", 1001]\ninvoice_gids = [\"root\"]\nadmin_gids = [3000]",
            to: &configuration)
        #expect(configuration.roleByUID == [65534: .readonly, 1001: .readonly])
        #expect(configuration.role(uid: 1002, gid: 5) { [5, 0] } == .invoice)
        #expect(configuration.role(uid: 1002, gid: 0) { [0, 3000] } == .admin, "the highest of the user's groups")
        #expect(configuration.role(uid: 1002, gid: 5) { [5, 6] } == nil)
    }

    @Test(arguments: [
        ("readonly = [1001]\nadmin = [1001]", "roles.admin: uid 1001 is also listed under readonly"),
        ("invoice = [0]\nadmin = [\"root\"]", "roles.admin: uid 0 is also listed under invoice"),
        ("readonly_gids = [\"root\"]\ninvoice_gids = [0]", "roles.invoice_gids: gid 0 is also listed under readonly"),
        ("readonly = [\"t4g-no-such-user\"]", "roles.readonly: nothing is named t4g-no-such-user"),
        ("admin = [1.5]", "roles.admin: must list names or numeric ids"),
    ])
    func rolesRefuseAmbiguousOrUnknownEntries(lines: String, message: String) {
        var configuration = DaemonConfiguration()
        do {
            try ConfigurationFile.apply("[roles]\n" + lines, to: &configuration)
            Issue.record("accepted \(lines)")
        } catch {
            #expect(error.description.hasPrefix("configuration error: \(message)"), "\(error)")
        }
    }
}
