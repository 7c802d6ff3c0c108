import Foundation
import JSONRPC
import TestSupport
import Testing

/// Every parameter of every method, from the daemon's own `rpc.discover`, with hostile values: extreme numbers
/// (Int64 bounds, negatives, 21 million bitcoin and past it, amounts whose fee overflows Int64, huge floats)
/// and strings holding NUL. The daemon answers each with a result or a typed error and keeps running; a trap
/// (the amount × fee rate overflow of issue 15) shows as a dead daemon.
@Suite(.serialized) struct HostileParamsTests {
    /// Numbers a careless or hostile client may send in any integer parameter.
    static let extremeNumbers: [JSONValue] = [
        .integer(Int64.min), .integer(-1), .integer(0), .integer(1), .integer(9_223_372_036_854_775),
        .integer(10_000_000_000_000_000), .integer(2_100_000_000_000_000_000), .integer(2_100_000_000_000_000_001),
        .integer(Int64.max), .number(2.1e18), .number(1e300), .number(-0.5),
    ]

    /// Methods the sweeps leave out: stopping the daemon, and a stream that never answers.
    static let skipped: Set<String> = ["daemon.stop", "events.subscribe"]

    /// What the base params of the methods refer to: an open any-amount invoice of another node, a proof,
    /// its consignment.
    struct Fixture {
        let payer: DaemonProcess
        let payee: DaemonProcess
        let proofID: String
        let consignment: JSONValue
        let openHash: String

        /// Starts two daemons and makes the things the params name.
        static func make(_ network: DevNetwork) async throws -> Fixture {
            let payer = try await network.daemon()
            let payee = try await network.daemon()
            let proof = try await payer.call(
                "proof.create", ["kind": "purchase", "fields": ["item": "course"], "owner": "account:fuzz"])
            let proofID = proof.string("proof_id")
            let exported = try await payer.call("proof.export", ["proof_id": .string(proofID)])
            let open = try await payer.call("invoice.create", ["amount_msat": 1000, "description": "open"])
            return Fixture(
                payer: payer, payee: payee, proofID: proofID, consignment: exported["consignment"] ?? .null,
                openHash: open.string("payment_hash"))
        }

        /// A fresh any-amount invoice of the payee.
        func anyAmountInvoice() async throws -> String {
            try await payee.call("invoice.create", ["description": "any amount"]).string("bolt11")
        }

        /// Valid params for `method` (waits bounded to 0 s), to which a test substitutes one hostile value.
        func baseParams(_ method: String, in directory: TemporaryDirectory) async throws -> JSONObject {
            switch method {
            case "payment.send": ["bolt11": .string(try await anyAmountInvoice()), "amount_msat": 5000]
            case "invoice.create": ["amount_msat": 1000, "description": "fuzz"]
            case "invoice.decode": ["bolt11": .string(try await anyAmountInvoice())]
            case "invoice.get", "invoice.cancel", "payment.get": ["payment_hash": .string(openHash)]
            case "invoice.wait": ["payment_hash": .string(openHash), "timeout_s": 0]
            case "events.wait": ["since": 0, "timeout_s": 0]
            case "proof.get", "proof.history", "proof.export": ["proof_id": .string(proofID)]
            case "proof.verify": ["proof_id": .string(proofID)]
            case "proof.transfer":
                [
                    "proof_id": .string(proofID), "to": "account:fuzz-buyer",
                    "payment": ["amount_msat": 5000, "description": "fuzz"],
                ]
            case "proof.create": ["kind": "purchase", "fields": ["item": "course"], "owner": "account:fuzz"]
            case "proof.owner_key": ["owner": "account:fuzz"]
            case "proof.import": ["consignment": consignment]
            case "daemon.backup": ["path": .string(directory.file("backup-\(UInt32.random(in: 0...UInt32.max))"))]
            default: [:]
            }
        }
    }

    /// One documented parameter of one method.
    struct Param {
        let method: String
        let name: String
        let types: [String]
    }

    /// The parameters `rpc.discover` publishes, with their JSON types.
    static func params(of daemon: DaemonProcess) async throws -> [Param] {
        let document = try await daemon.call("rpc.discover")
        return (document["methods"]?.arrayValue ?? []).flatMap { method -> [Param] in
            let name = method.string("name")
            guard !skipped.contains(name) else { return [] }
            return (method["params"]?.arrayValue ?? []).map { param in
                let type = param["schema"]?["type"]
                let types = type?.arrayValue?.compactMap(\.stringValue) ?? type?.stringValue.map { [$0] } ?? []
                return Param(method: name, name: param.string("name"), types: types)
            }
        }
    }

    /// Calls `method` on a fresh connection; the error if it failed, `nil` if it succeeded. A dropped
    /// connection (a dead daemon) throws.
    static func outcome(_ daemon: DaemonProcess, _ method: String, _ params: JSONObject) async throws -> RPCError? {
        try await daemon.error(method, params)
    }

    @Test(.timeLimit(.minutes(10)))
    func extremeNumbersInEveryIntegerParamGetAnAnswerNeverATrap() async throws {
        try await DevNetwork.run { network in
            let fixture = try await Fixture.make(network)
            let daemon = fixture.payer
            let integerParams = try await Self.params(of: daemon).filter { $0.types.contains("integer") }
            #expect(integerParams.contains { $0.method == "payment.send" && $0.name == "amount_msat" })
            for param in integerParams {
                for value in Self.extremeNumbers {
                    var params = try await fixture.baseParams(param.method, in: network.directory)
                    params[param.name] = value
                    let error = try await Self.outcome(daemon, param.method, params)
                    #expect(
                        error?.reason != .internalError,
                        "\(param.method) \(param.name)=\(value): \(String(describing: error))")
                }
                #expect(daemon.isRunning, "the daemon died on \(param.method) \(param.name)")
            }
            // Nested amounts: the invoice proof.transfer creates.
            for value in Self.extremeNumbers {
                for name in ["amount_msat", "amount_sat", "expiry_s"] {
                    var payment: JSONObject = ["amount_msat": 5000, "description": "nested"]
                    payment[name] = value
                    let error = try await Self.outcome(
                        daemon, "proof.transfer",
                        ["proof_id": .string(fixture.proofID), "to": "account:x", "payment": .object(payment)])
                    #expect(error?.reason != .internalError, "proof.transfer payment.\(name)=\(value)")
                }
            }
            #expect(try await daemon.call("daemon.info").string("network") == "regtest")
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func randomCombinationsOfExtremeAmountsNeverKillTheDaemon() async throws {
        try await DevNetwork.run { network in
            let fixture = try await Fixture.make(network)
            let daemon = fixture.payer
            let seed = UInt64.random(in: 0...UInt64.max)
            var random = SeededGenerator(state: seed)
            for round in 0..<40 {
                var send: JSONObject = ["bolt11": .string(try await fixture.anyAmountInvoice())]
                var create: JSONObject = ["description": "combination"]
                for name in ["amount_msat", "amount_sat", "max_fee_msat", "timeout_s"] where random.chance(60) {
                    send[name] = Self.extremeNumbers.randomElement(using: &random)!
                }
                for name in ["amount_msat", "amount_sat", "expiry_s"] where random.chance(60) {
                    create[name] = Self.extremeNumbers.randomElement(using: &random)!
                }
                let sent = try await Self.outcome(daemon, "payment.send", send)
                let created = try await Self.outcome(daemon, "invoice.create", create)
                #expect(sent?.reason != .internalError, "seed \(seed) round \(round): payment.send \(send)")
                #expect(created?.reason != .internalError, "seed \(seed) round \(round): invoice.create \(create)")
            }
            #expect(daemon.isRunning, "seed \(seed)")
        }
    }

    @Test func paymentsWhoseFeeOverflowsInt64GetATypedErrorAndTheDaemonLives() async throws {
        try await DevNetwork.run { network in
            let payer = try await network.daemon()
            let payee = try await network.daemon()
            // An any-amount invoice paid with the schema's own maximum amount.
            let anyAmount = try await payee.call("invoice.create", ["description": "any"]).string("bolt11")
            let maximum = try await payer.error(
                "payment.send", ["bolt11": .string(anyAmount), "amount_msat": 2_100_000_000_000_000_000])
            #expect(maximum?.reason == .insufficientBalance)
            // A third party's fixed-amount invoice of 1e16 msat, as an automated payout would get it.
            let huge = try await payee.call(
                "invoice.create", ["amount_msat": 10_000_000_000_000_000, "description": "payout"])
            let payout = try await payer.error("payment.send", ["bolt11": .string(huge.string("bolt11"))])
            #expect(payout?.reason == .insufficientBalance)
            #expect(payer.isRunning)
            let payment = try await payer.call("payment.get", ["payment_hash": .string(huge.string("payment_hash"))])
            #expect(payment.string("status") == "failed")
            #expect(payment.integer("amount_msat") == 10_000_000_000_000_000)
        }
    }

    /// SQLite would bind `x\u{0}a` as `x` and PostgreSQL refuses it: every string parameter refuses a NUL, so
    /// labels, idempotency keys, descriptions and paths are stored exactly or not at all, on both stores.
    @Test(arguments: StoreEngines.all)
    func aNulInEveryStringParamIsRefusedAndNothingCollides(engine: String) async throws {
        try await DevNetwork.run(engine: engine) { network in
            let fixture = try await Fixture.make(network)
            let daemon = fixture.payer
            let stringParams = try await Self.params(of: daemon).filter { $0.types.contains("string") }
            let names = Set(stringParams.map(\.name))
            #expect(names.isSuperset(of: ["label", "description", "idempotency_key", "path", "bolt11", "owner"]))
            for param in stringParams {
                var params = try await fixture.baseParams(param.method, in: network.directory)
                params[param.name] = "x\u{0}a"
                let error = try await daemon.error(param.method, params)
                #expect(error?.reason == .invalidParams, "\(param.method) \(param.name): \(String(describing: error))")
            }
            #expect(try await daemon.error("invoice.get", ["label": "x"])?.reason == .invoiceNotFound)
            // Inside JSON values (metadata) a NUL is escaped, so it is kept exactly.
            let created = try await daemon.call(
                "invoice.create", ["amount_msat": 1000, "description": "meta", "metadata": ["note": "x\u{0}a"]])
            let read = try await daemon.call("invoice.get", ["payment_hash": .string(created.string("payment_hash"))])
            #expect(read["metadata"]?.string("note") == "x\u{0}a")
            // Proof field values are stored as text columns: refused, like a consignment that carries one.
            let field = try await daemon.error(
                "proof.create", ["kind": "purchase", "fields": ["item": "x\u{0}a"], "owner": "account:nul"])
            #expect(field?.reason == .invalidParams)
            #expect(daemon.isRunning)
        }
    }

    /// Readonly methods read: with every one called (an unknown account's owner key included), the store holds
    /// exactly what it held before, row for row.
    @Test func readonlyMethodsLeaveTheStoreUnchanged() async throws {
        try await DevNetwork.run { network in
            let fixture = try await Fixture.make(network)
            let daemon = fixture.payer
            let document = try await daemon.call("rpc.discover")
            let readonly = (document["methods"]?.arrayValue ?? []).filter { $0.string("x-role") == "readonly" }
                .map { $0.string("name") }.filter { !Self.skipped.contains($0) }
            #expect(readonly.contains("proof.list") && !readonly.contains("proof.owner_key"))
            let before = try StoreSnapshot.rows(of: daemon)
            for method in readonly {
                _ = try await daemon.error(method, try await fixture.baseParams(method, in: network.directory))
            }
            for owner in ["account:never-seen-1", "account:never-seen-2"] {
                _ = try await daemon.call("proof.list", ["owner": .string(owner)])
            }
            #expect(try StoreSnapshot.rows(of: daemon) == before)
        }
    }

    /// `docs/rpc-errors.md` says both amounts at once are `invalid_amount`; the daemon answers exactly that.
    @Test func amountMsatWithAmountSatIsTheDocumentedInvalidAmount() async throws {
        let documentPath = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        let document = try String(contentsOfFile: "/" + documentPath + "/docs/rpc-errors.md", encoding: .utf8)
        let row = try #require(document.split(separator: "\n").first { $0.contains("| `invalid_amount` |") })
        #expect(row.contains("both `amount_msat` and `amount_sat` are given"))
        let code = try #require(Int(row.split(separator: "|")[0].trimmingCharacters(in: .whitespaces)))
        try await DevNetwork.run { network in
            let payer = try await network.daemon()
            let payee = try await network.daemon()
            let bolt11 = try await payee.call("invoice.create", ["description": "any"]).string("bolt11")
            let both: [(String, JSONObject)] = [
                ("invoice.create", ["amount_msat": 1000, "amount_sat": 1, "description": "both"]),
                ("payment.send", ["bolt11": .string(bolt11), "amount_msat": 1000, "amount_sat": 1]),
            ]
            for (method, params) in both {
                let error = try await payer.error(method, params)
                #expect(error?.code == code, "\(method)")
                #expect(error?.reason == .invalidAmount, "\(method)")
            }
        }
    }
}
