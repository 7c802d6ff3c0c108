import JSONRPC
import Testing
import Wallet

@testable import RPCMethods

/// Each param is declared once (`RPCParam`) and feeds both `Params` and the published schema: for every method
/// of the OpenRPC document, the values at the edges of each param's published schema are accepted and the
/// values just past them refused, by the same `Params` the daemon runs.
@Suite struct ParamDeclarationTests {
    /// A value at or just past an edge of a published schema, and whether the schema takes it.
    struct Probe: CustomStringConvertible {
        let value: JSONValue
        let accepted: Bool
        var description: String { "\(value) (\(accepted ? "in" : "out of") range)" }
    }

    /// The probes of one published schema: integer bounds, string lengths, hex digit counts and choices.
    static func probes(of schema: JSONValue) -> [Probe] {
        var probes: [Probe] = []
        if let values = schema["enum"]?.arrayValue {
            probes += values.map { Probe(value: $0, accepted: true) }
            probes.append(Probe(value: "not-a-choice", accepted: false))
        }
        if let minimum = schema["minimum"]?.int64Value, let maximum = schema["maximum"]?.int64Value {
            probes += [
                Probe(value: .integer(minimum), accepted: true), Probe(value: .integer(maximum), accepted: true),
            ]
            if minimum > Int64.min { probes.append(Probe(value: .integer(minimum - 1), accepted: false)) }
            if maximum < Int64.max { probes.append(Probe(value: .integer(maximum + 1), accepted: false)) }
            probes.append(Probe(value: "1", accepted: false))
        }
        if let maxLength = schema["maxLength"]?.intValue {
            probes += [
                Probe(value: .string(String(repeating: "a", count: maxLength)), accepted: true),
                Probe(value: .string(String(repeating: "a", count: maxLength + 1)), accepted: false),
                Probe(value: 1, accepted: false),
            ]
        }
        if let pattern = schema["pattern"]?.stringValue, pattern.hasPrefix("^[0-9a-fA-F]{"),
            let digits = Int(pattern.dropFirst("^[0-9a-fA-F]{".count).prefix { $0.isNumber })
        {
            probes += [
                Probe(value: .string(String(repeating: "aB", count: digits / 2)), accepted: true),
                Probe(value: .string(String(repeating: "a", count: digits - 1)), accepted: false),
                Probe(value: .string(String(repeating: "g", count: digits)), accepted: false),
            ]
        }
        if schema["type"]?.stringValue == "boolean" {
            probes += [Probe(value: true, accepted: true), Probe(value: "true", accepted: false)]
        }
        return probes
    }

    /// Checks the `params` published for `method` with each probe of each param, the other required params
    /// holding their example values, through the method's top-level declarations (`declared`). `wrap` puts an
    /// object of these params where it belongs in a request: as is at the top, as the value of its object
    /// param (`payment`) for members; `path` is that param's name and a dot.
    static func checkEdges(
        of method: String, published params: [JSONValue], declared: [RPCParam], path: String = "",
        wrap: (JSONObject) -> JSONObject = { $0 }
    ) -> Int {
        let schemas = OpenRPCDocument.complete["components"]?["schemas"]?.objectValue ?? [:]
        let examples = requiredExamples(of: params, schemas: schemas)
        var checked = 0
        for param in params {
            let name = param["name"]?.stringValue ?? ""
            let schema = param["schema"] ?? [:]
            for probe in probes(of: schema) {
                var object = examples
                object[name] = probe.value
                let request = wrap(object)
                switch Result(catching: { () throws(DaemonError) in try Params(request, declared: declared) }) {
                case .success:
                    #expect(probe.accepted, "\(method) \(path)\(name) = \(probe) was accepted")
                case .failure(let error):
                    #expect(!probe.accepted, "\(method) \(path)\(name) = \(probe) was refused: \(error)")
                    #expect([.invalidParams, .invalidAmount].contains(error.reason))
                    #expect(error.message.contains("'\(path)\(name)'"), "\(error.message) names \(path)\(name)")
                }
                checked += 1
            }
            if let members = schema["properties"]?.objectValue, schema["additionalProperties"] == false {
                let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                let published = members.map { member -> JSONValue in
                    [
                        "name": .string(member.key), "required": .bool(required.contains(member.key)),
                        "schema": member.value,
                    ]
                }
                checked += checkEdges(
                    of: method, published: published, declared: declared, path: path + name + ".",
                    wrap: { inner in
                        var level = examples
                        level[name] = .object(inner)
                        return wrap(level)
                    })
            }
        }
        return checked
    }

    /// The required params of `params`, each with the example value of its schema.
    static func requiredExamples(of params: [JSONValue], schemas: JSONObject) -> JSONObject {
        JSONObject(
            params.filter { $0["required"]?.boolValue == true }.map { param in
                let name = param["name"]?.stringValue ?? ""
                return (name, Example.value(of: param["schema"] ?? [:], named: name, in: schemas))
            })
    }

    @Test func everyPublishedParamSchemaMatchesWhatParamsAcceptsAtItsEdges() throws {
        let document = OpenRPCDocument.complete
        let methods = document["methods"]?.arrayValue ?? []
        #expect(methods.count == RPCMethod.Declaration.all.count)
        var checked = 0
        for method in methods {
            let name = method["name"]?.stringValue ?? ""
            let declaration = try #require(RPCMethod.Declaration.all.first { $0.name == name })
            checked += Self.checkEdges(
                of: name, published: method["params"]?.arrayValue ?? [], declared: declaration.params)
        }
        #expect(checked >= 280, "probes checked: \(checked)")
    }

    @Test func amountsOutOfRangeAreInvalidAmountAndTheRestInvalidParams() throws {
        let create = RPCMethod.Declaration.invoiceCreate.params
        let refusal = { (object: JSONObject) -> DaemonError? in
            do throws(DaemonError) {
                _ = try Params(object, declared: create)
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal(["amount_msat": 0])?.reason == .invalidAmount)
        #expect(refusal(["amount_sat": .integer(Int64.max)])?.reason == .invalidAmount)
        #expect(refusal(["amount_msat": 1.5])?.reason == .invalidParams)
        #expect(refusal(["expiry_s": 0])?.message == "'expiry_s' must be between 1 and 31536000")
        #expect(refusal(["colour": "blue"])?.message == "unknown parameter 'colour'")
        #expect(refusal(["label": "x\u{0}y"])?.message == "'label' must not contain the NUL character (U+0000)")
        #expect(refusal(["amount_msat": 1000, "description": .null]) == nil)
        let transfer = RPCMethod.Declaration.proofTransfer.params
        let nested = Result { () throws(DaemonError) in
            try Params(
                ["proof_id": .string(String(repeating: "0", count: 64)), "to": "account:b", "payment": ["tip": 1]],
                declared: transfer)
        }
        #expect(throws: DaemonError.self) { try nested.get() }
        if case .failure(let error) = nested { #expect(error.message == "unknown parameter 'payment.tip'") }
    }

    @Test func theCatalogueDeclaresEveryMethodOnceInNameOrder() {
        let names = RPCMethod.Declaration.all.map(\.name)
        #expect(names == names.sorted())
        #expect(Set(names).count == names.count)
        for declaration in RPCMethod.Declaration.all {
            let params = declaration.params.map(\.name)
            #expect(Set(params).count == params.count, "\(declaration.name) declares a param twice")
        }
    }

    @Test func accountIdsFollowTheirPatternAndOnlyTheSystemAccountsTheParamAllows() {
        func refusal(_ declaration: RPCMethod.Declaration, _ object: JSONObject) -> String? {
            do throws(DaemonError) {
                _ = try Params(object, declared: declaration.params)
                return nil
            } catch {
                return error.reason == .invalidParams ? error.message : "\(error.reason.name): \(error.message)"
            }
        }
        let longest = "u" + String(repeating: "a", count: 127)
        #expect(refusal(.accountCreate, ["id": "user:42"]) == nil)
        #expect(refusal(.accountCreate, ["id": .string(longest)]) == nil)
        #expect(refusal(.accountCreate, ["id": .string(longest + "a")]) != nil)
        for bad in ["@treasury", "@node", "User:42", ":user", "user 42", ""] {
            #expect(
                refusal(.accountCreate, ["id": .string(bad)])
                    == "'id' must be an account id (^[a-z0-9][a-z0-9._:/-]{0,127}$)", "\(bad)")
        }
        #expect(refusal(.invoiceCreate, ["description": "x", "account": "@treasury"]) == nil)
        #expect(refusal(.invoiceCreate, ["description": "x", "account": "@node"]) != nil)
        #expect(refusal(.accountGet, ["id": "@node"]) == nil)
        #expect(
            refusal(.accountTransfer, ["from": "@treasury", "to": "user:7", "amount_msat": 1, "idempotency_key": "k"])
                != nil)
    }
}
