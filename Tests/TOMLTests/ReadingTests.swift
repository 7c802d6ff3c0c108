import TOML
import Testing

@Suite struct ReadingTests {
    let document = """
        [lnd]
        rest_url = "https://127.0.0.1:8080"
        timeout_s = 30
        verify_tls = true
        fee_ratio = 0.5
        retries = 3

        [lnd.headers]
        "X-Client" = "t4gd"
        "user agent" = "t4gd"

        [[peers]]
        host = "a.example"
        [[peers]]
        host = 1

        [roles]
        admin = [0, 1000]
        names = ["alice", "bob"]
        mixed = ["alice", 7]
        """

    @Test func readsTypedValues() throws {
        let root = try TOMLTable(parsing: document)
        let lnd = try #require(try root.table("lnd"))
        #expect(try lnd.string("rest_url") == "https://127.0.0.1:8080")
        #expect(try lnd.integer("timeout_s") == 30)
        #expect(try lnd.bool("verify_tls") == true)
        #expect(try lnd.float("fee_ratio") == 0.5)
        #expect(try lnd.float("retries") == 3, "an integer is read as a float")
        #expect(try lnd.value("retries", as: Int.self) == 3)
        #expect(try lnd.table("headers") == ["X-Client": "t4gd", "user agent": "t4gd"])
        #expect(try lnd.string("missing") == nil)
        #expect(try lnd.required("rest_url", as: String.self) == "https://127.0.0.1:8080")
        let roles = try root.required("roles", as: TOMLTable.self)
        #expect(try roles.integerArray("admin") == [0, 1000])
        #expect(try roles.stringArray("names") == ["alice", "bob"])
        #expect(try roles.array("mixed") == ["alice", 7])
        #expect(try root.tableArray("peers")?.count == 2)
    }

    @Test func typeMismatchNamesKeyPathAndTypes() throws {
        let root = try TOMLTable(parsing: document)
        let lnd = try #require(try root.table("lnd"))
        let error = try #require(throws: TOMLError.self) { try lnd.string("timeout_s") }
        #expect(error.code == .typeMismatch)
        #expect(error.keyPath == "lnd.timeout_s")
        #expect(error.description == "type_mismatch: lnd.timeout_s must be a string, found an integer")
        #expect(error.line == nil && error.column == nil)

        let nested = try #require(throws: TOMLError.self) {
            try lnd.required("headers", as: TOMLTable.self).bool("X-Client")
        }
        #expect(nested.description == "type_mismatch: lnd.headers.X-Client must be a boolean, found a string")
        let quoted = try #require(throws: TOMLError.self) { try lnd.table("headers")?.integer("user agent") }
        #expect(quoted.keyPath == #"lnd.headers."user agent""#)

        let roles = try root.required("roles", as: TOMLTable.self)
        let array = try #require(throws: TOMLError.self) { try roles.stringArray("mixed") }
        #expect(
            array.description
                == "type_mismatch: roles.mixed must be an array of string, found an array of string and integer")
        let notArray = try #require(throws: TOMLError.self) { try lnd.integerArray("retries") }
        #expect(notArray.description.hasSuffix("must be an array of integer, found an integer"))

        let peers = try #require(try root.tableArray("peers"))
        let inArray = try #require(throws: TOMLError.self) { try peers[1].string("host") }
        #expect(inArray.keyPath == "peers[1].host")
    }

    @Test func mismatchNeverEchoesTheValue() throws {
        let root = try TOMLTable(parsing: "[lnbits]\nadmin_key = \"s3cr3t\"")
        let error = try #require(throws: TOMLError.self) {
            try root.required("lnbits", as: TOMLTable.self).integer("admin_key")
        }
        #expect(!error.description.contains("s3cr3t"))
    }

    @Test func missingRequiredKey() throws {
        let root = try TOMLTable(parsing: document)
        let error = try #require(throws: TOMLError.self) {
            try root.required("lnd", as: TOMLTable.self).required("macaroon", as: String.self)
        }
        #expect(error.code == .missingKey)
        #expect(error.keyPath == "lnd.macaroon")
        #expect(error.description == "missing_key: lnd.macaroon is required")
    }

    @Test func unknownKeysAreNamedByPath() throws {
        let root = try TOMLTable(parsing: "[lnd]\nrest_ulr = \"x\"\nrest_url = \"y\"\n\"odd key\" = 1\n[lnbits]")
        #expect(root.unknownKeys(allowed: ["lnd", "lnbits"]) == [])
        #expect(root.unknownKeys(allowed: ["lnd"]) == ["lnbits"])
        let lnd = try #require(try root.table("lnd"))
        #expect(lnd.unknownKeys(allowed: ["rest_url"]) == ["lnd.rest_ulr", #"lnd."odd key""#])
        #expect(lnd.keyPath(of: "rest_url") == "lnd.rest_url")
    }

    @Test func builtTablesKnowTheirPathsToo() throws {
        var root: TOMLTable = ["daemon": ["network": 1]]
        root["servers"] = [["host": "a"], ["host": 2]]
        let daemon = try #require(try root.table("daemon"))
        #expect(daemon.unknownKeys(allowed: []) == ["daemon.network"])
        let servers = try #require(try root.tableArray("servers"))
        #expect(
            throws: TOMLError(
                .typeMismatch, "servers[1].host must be a string, found an integer", keyPath: "servers[1].host")
        ) {
            try servers[1].string("host")
        }
        var outer = TOMLTable()
        outer["wrapper"] = .table(root)
        let moved = try #require(try outer.required("wrapper", as: TOMLTable.self).table("daemon"))
        #expect(moved.keyPath(of: "network") == "wrapper.daemon.network")
    }
}
