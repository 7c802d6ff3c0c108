import TOML
import Testing

@Suite struct DaemonConfigTests {
    static let config = #"""
        # t4gd configuration — regtest example.

        [daemon]
        network = "regtest"          # mainnet | testnet | signet | regtest
        data_dir = "/var/lib/t4gd"
        backend = "lnd"              # lnd | lnbits | dev
        identity_key_file = '/etc/t4gd/identity.key'

        [rpc]
        socket_path = "/run/t4gd/t4gd.sock"
        socket_mode = 0o660
        max_line_bytes = 1_048_576
        max_batch = 100
        max_connections = 64
        max_in_flight_per_connection = 16
        idle_timeout_s = 300

        [store]
        path = "/var/lib/t4gd/t4gd.sqlite"
        busy_timeout_ms = 5_000

        [dev]
        enabled = false
        settle_after_s = 2
        seed = 0xC0FFEE

        [lnd]
        rest_url = "https://127.0.0.1:8080"
        macaroon_path = "/var/lib/lnd/data/chain/bitcoin/regtest/admin.macaroon"
        tls_cert_path = "/var/lib/lnd/tls.cert"
        timeout_s = 30

        [lnbits]
        url = "http://127.0.0.1:5000"
        admin_key_file = "/etc/t4gd/lnbits-admin.key"
        wallet_id = "a1b2c3d4"

        [roles]
        admin = [0, 1000]
        invoice = [
            1001,  # web shop
            1002,  # point of sale
        ]
        readonly = []

        [limits]
        max_invoice_msat = 100_000_000_000
        max_payment_msat = 10_000_000_000
        max_fee_msat = 50_000
        fee_reserve_ratio = 0.01
        invoice_expiry_s = { default = 3_600, max = 604_800 }

        [log]
        level = "info"
        format = "json"
        redact = ["macaroon", "admin_key", "preimage"]

        [metrics]
        enabled = true
        listen = "127.0.0.1:9464"
        latency_buckets_ms = [1, 5, 10, 50, 100, 500, 1_000]
        """#

    static let expected: TOMLTable = [
        "daemon": [
            "network": "regtest", "data_dir": "/var/lib/t4gd", "backend": "lnd",
            "identity_key_file": "/etc/t4gd/identity.key",
        ],
        "rpc": [
            "socket_path": "/run/t4gd/t4gd.sock", "socket_mode": 0o660, "max_line_bytes": 1_048_576,
            "max_batch": 100, "max_connections": 64, "max_in_flight_per_connection": 16, "idle_timeout_s": 300,
        ],
        "store": ["path": "/var/lib/t4gd/t4gd.sqlite", "busy_timeout_ms": 5000],
        "dev": ["enabled": false, "settle_after_s": 2, "seed": 0xC0FFEE],
        "lnd": [
            "rest_url": "https://127.0.0.1:8080",
            "macaroon_path": "/var/lib/lnd/data/chain/bitcoin/regtest/admin.macaroon",
            "tls_cert_path": "/var/lib/lnd/tls.cert", "timeout_s": 30,
        ],
        "lnbits": [
            "url": "http://127.0.0.1:5000", "admin_key_file": "/etc/t4gd/lnbits-admin.key", "wallet_id": "a1b2c3d4",
        ],
        "roles": ["admin": [0, 1000], "invoice": [1001, 1002], "readonly": []],
        "limits": [
            "max_invoice_msat": 100_000_000_000, "max_payment_msat": 10_000_000_000, "max_fee_msat": 50_000,
            "fee_reserve_ratio": 0.01, "invoice_expiry_s": ["default": 3600, "max": 604_800],
        ],
        "log": ["level": "info", "format": "json", "redact": ["macaroon", "admin_key", "preimage"]],
        "metrics": [
            "enabled": true, "listen": "127.0.0.1:9464", "latency_buckets_ms": [1, 5, 10, 50, 100, 500, 1000],
        ],
    ]

    @Test func parsesToTheExpectedTable() throws {
        let root = try TOMLTable(parsing: Self.config)
        #expect(root == Self.expected)
        #expect(root.keys == ["daemon", "rpc", "store", "dev", "lnd", "lnbits", "roles", "limits", "log", "metrics"])
        #expect(root.value(at: ["lnd", "rest_url"]) == "https://127.0.0.1:8080")
        #expect(root.value(at: ["limits", "invoice_expiry_s", "max"]) == 604_800)
    }

    @Test func readsLikeTheDaemonWill() throws {
        let root = try TOMLTable(parsing: Self.config)
        let sections: Set = ["daemon", "rpc", "store", "dev", "lnd", "lnbits", "roles", "limits", "log", "metrics"]
        #expect(root.unknownKeys(allowed: sections).isEmpty)
        let roles = try root.required("roles", as: TOMLTable.self)
        #expect(try roles.required("admin", as: [Int64].self) == [0, 1000])
        #expect(try roles.integerArray("readonly") == [])
        let rpc = try root.required("rpc", as: TOMLTable.self)
        #expect(try rpc.required("socket_mode", as: Int.self) == 0o660)
        #expect(try root.required("dev", as: TOMLTable.self).bool("enabled") == false)
        let limits = try root.required("limits", as: TOMLTable.self)
        #expect(try limits.table("invoice_expiry_s")?.integer("default") == 3600)
        #expect(try limits.float("fee_reserve_ratio") == 0.01)
        #expect(
            try root.required("log", as: TOMLTable.self).stringArray("redact") == ["macaroon", "admin_key", "preimage"])
    }

    @Test func aTypoInAKeyIsNamed() throws {
        let typo = Self.config.replacing("rest_url", with: "rest_ulr")
        let lnd = try #require(try TOMLTable(parsing: typo).table("lnd"))
        let allowed: Set = ["rest_url", "macaroon_path", "tls_cert_path", "timeout_s"]
        #expect(lnd.unknownKeys(allowed: allowed) == ["lnd.rest_ulr"])
    }
}
