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
        #expect(configuration.rpc.maxBatch == defaults.rpc.maxBatch)
        #expect(configuration.rpc.socketMode == 0o660)
        #expect(configuration.dev.startingBalance == defaults.dev.startingBalance)
        #expect(configuration.access.rateLimits == defaults.access.rateLimits)
        #expect(configuration.metrics.enabled == defaults.metrics.enabled)
        #expect(configuration.metrics.address == defaults.metrics.address)
        #expect(configuration.metrics.port == defaults.metrics.port)
        #expect(configuration.dev.paymentLatency == defaults.dev.paymentLatency)
        #expect(configuration.lnd.privateInvoices == defaults.lnd.privateInvoices)
        #expect(configuration.lnd.maxConnections == defaults.lnd.maxConnections)
        #expect(configuration.lnd.maxStreams == defaults.lnd.maxStreams)
        #expect(configuration.lnd.subscriptionIdleSeconds == defaults.lnd.subscriptionIdleSeconds)
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
        #expect(configuration.dev.paymentLatency == .uniform(milliseconds: 1000...60000))
        #expect(!configuration.lnd.privateInvoices)
        #expect(configuration.lnd.maxConnections == 4)
        #expect(configuration.lnd.maxStreams == 32)
        #expect(configuration.lnd.subscriptionIdleSeconds == 30)
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
        #expect(configuration.store.caFile == "/ca.pem")
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

    /// Each section of the file fills the configuration of its component and no other.
    @Test func eachSectionFillsItsComponentsConfiguration() throws {
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply(
            """
            [rpc]
            max_batch = 7
            [store]
            full_sync = false
            [dev]
            alias = "bench"
            [payments]
            reconcile_interval_s = 9
            [metrics]
            enabled = false
            [log]
            format = "json"
            """, to: &configuration)
        #expect(
            configuration.rpc.maxBatch == 7 && configuration.rpc.maxConnections == RPCConfiguration().maxConnections)
        #expect(!configuration.store.fullSync && configuration.store.path == nil)
        #expect(configuration.dev.alias == "bench" && configuration.dev.feeBase == DevConfiguration().feeBase)
        #expect(configuration.payments.reconcileIntervalSeconds == 9 && configuration.payments.timeoutSeconds == 60)
        #expect(!configuration.metrics.enabled && configuration.metrics.port == 9464)
        #expect(configuration.log.format == .json && configuration.log.level == .info)
        #expect(configuration.lnd.maxStreams == 64 && configuration.lnbits.pollIntervalSeconds == 2)
    }

    /// Every flag of `t4gd` sets the same typed value as its file key.
    @Test func everyFlagSetsTheValueOfItsFileKey() throws {
        var configuration = DaemonConfiguration()
        try ConfigurationFile.applyFlags(
            [
                ("daemon.data_dir", "/var/lib/t4g"), ("rpc.socket", "/run/t4g.sock"), ("daemon.network", "signet"),
                ("daemon.backend", "lnbits"), ("dev.ledger", "/var/lib/dev.sqlite"), ("log.level", "debug"),
                ("log.format", "json"), ("metrics.listen", "[::1]:9200"), ("daemon.backup_dir", nil),
            ], to: &configuration)
        #expect(configuration.dataDirectory == "/var/lib/t4g")
        #expect(configuration.resolvedSocketPath == "/run/t4g.sock")
        #expect(configuration.network == .signet)
        #expect(configuration.backend == .lnbits)
        #expect(configuration.resolvedDevLedgerPath == "/var/lib/dev.sqlite")
        #expect(configuration.log.level == .debug)
        #expect(configuration.log.format == .json)
        #expect(configuration.metrics.address == "::1" && configuration.metrics.port == 9200)
        #expect(configuration.resolvedBackupDirectory == "/var/lib/t4g/backups")
    }

    /// A flag's value is taken as it is: quotes, backslashes and a newline are not TOML to escape or parse.
    @Test func aFlagValueIsTakenVerbatim() throws {
        var configuration = DaemonConfiguration()
        let path = "/tmp/a \\n \"b\"\n.sock"
        try ConfigurationFile.applyFlags([("rpc.socket", path)], to: &configuration)
        #expect(configuration.resolvedSocketPath == path)
    }

    @Test(arguments: [
        ("daemon.network", "bitcoin"), ("daemon.backend", "cln"), ("log.level", "loud"), ("log.format", "xml"),
        ("metrics.listen", "localhost:9464"),
    ])
    func aBadFlagValueIsRefusedNamingItsKey(key: String, value: String) {
        var configuration = DaemonConfiguration()
        let problem = #expect(throws: ConfigurationFile.Problem.self) {
            try ConfigurationFile.applyFlags([(key, value)], to: &configuration)
        }
        #expect(problem?.key == key)
    }

    /// `t4gd --network bitcoin` is refused like the file key: exit status 78 and the key on stderr.
    @Test func t4gdRefusesABadFlagWithExitStatus78() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (status, stderr) = try await Self.runT4GD(["--network", "bitcoin", "--data-dir", directory.file("data")])
        #expect(status == 78)
        #expect(stderr.contains("configuration error: daemon.network: must be one of"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("data")))
    }

    @Test func metricsListenTakesIPv4AndIPv6AndTheOffSwitch() throws {
        var configuration = DaemonConfiguration()
        #expect(configuration.metrics.enabled && configuration.metrics.address == "127.0.0.1")
        try ConfigurationFile.apply("[metrics]\nenabled = false\nlisten = \"[::1]:0\"", to: &configuration)
        #expect(!configuration.metrics.enabled)
        #expect(configuration.metrics.address == "::1" && configuration.metrics.port == 0)
        try ConfigurationFile.applyFlags([("metrics.listen", "127.0.0.2:9100")], to: &configuration)
        #expect(configuration.metrics.address == "127.0.0.2" && configuration.metrics.port == 9100)
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
        #expect(configuration.lnbits.push == DaemonConfiguration().lnbits.push)
        #expect(configuration.lnbits.pollIntervalSeconds == DaemonConfiguration().lnbits.pollIntervalSeconds)
        #expect(configuration.lnbits.ownInvoiceCheck == .store)
    }

    @Test func lnbitsPushSettingsInRangeAreTaken() throws {
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply("[lnbits]\npush = false\npoll_interval_s = 3600", to: &configuration)
        #expect(!configuration.lnbits.push)
        #expect(configuration.lnbits.pollIntervalSeconds == 3600)
        try ConfigurationFile.apply("[lnbits]\npoll_interval_s = 1", to: &configuration)
        #expect(configuration.lnbits.pollIntervalSeconds == 1)
        try ConfigurationFile.apply("[lnbits]\nown_invoice_check = \"lnbits\"", to: &configuration)
        #expect(configuration.lnbits.ownInvoiceCheck == .lnbits)
    }

    /// Runs `t4gd` with `arguments` until it exits: its exit status and its stderr.
    static func runT4GD(_ arguments: [String]) async throws -> (status: Int32, stderr: String) {
        let output = try await blocking {
            try ProcessOutput.run(DaemonProcess.productsDirectory.appendingPathComponent("t4gd").path, arguments)
        }
        return (output.status, output.stderr)
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
        let (status, stderr) = try await Self.runT4GD(["--config", config, "--data-dir", directory.file("data")])
        #expect(status == 78)
        #expect(stderr.contains("configuration error: \(key): "), "\(stderr)")
    }

    @Test func rolesMapUIDsAndGIDs() throws {
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply(
            "[roles]\nreadonly = [1001]\ninvoice_gids = [2000]\nspend = [1004]\nspend_gids = [2001]",
            to: &configuration)
        #expect(configuration.access.role(uid: 1001, gid: 5) { [] } == .readonly)
        #expect(configuration.access.role(uid: 1002, gid: 2000) { [] } == .invoice)
        #expect(configuration.access.role(uid: 1004, gid: 5) { [] } == .spend)
        #expect(configuration.access.role(uid: 1005, gid: 5) { [2000, 2001] } == .spend, "spend ranks above invoice")
        #expect(configuration.access.role(uid: 1003, gid: 5) { [] } == nil)
        #expect(configuration.access.role(uid: 0, gid: 0) { [] } == .admin)
    }

    @Test func rolesTakeUserAndGroupNamesAndMatchSupplementaryGroups() throws {
        var configuration = DaemonConfiguration()
        try ConfigurationFile.apply(
            "[roles]\nreadonly = [\"nobody\", 1001]\ninvoice_gids = [\"root\"]\nadmin_gids = [3000]",
            to: &configuration)
        #expect(configuration.access.roleByUID == [65534: .readonly, 1001: .readonly])
        #expect(configuration.access.role(uid: 1002, gid: 5) { [5, 0] } == .invoice)
        #expect(
            configuration.access.role(uid: 1002, gid: 0) { [0, 3000] } == .admin, "the highest of the user's groups")
        #expect(configuration.access.role(uid: 1002, gid: 5) { [5, 6] } == nil)
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
