import DaemonConfig
import JSONRPC
import Logging
import RPCServer

/// One method of the RPC contract: its name, the role it needs, its documentation (published by
/// `rpc.discover` as OpenRPC) and its handler.
struct RPCMethod: Sendable {
    /// A documented parameter.
    struct Param: Sendable {
        let name: String
        let schema: JSONValue
        let required: Bool
        let summary: String
    }

    /// What a handler gets besides its params.
    struct Call: Sendable {
        let context: RPCRequestContext
        var logger: Logger { context.logger }
    }

    /// How a method runs.
    enum Handler: Sendable {
        /// Never suspends and only reads memory: run at once on the connection's event loop.
        case immediate(@Sendable (Params, Call) throws -> JSONValue)
        /// Runs in a task of its own.
        case suspending(@Sendable (Params, Call) async throws -> JSONValue)
    }

    let name: String
    let role: DaemonConfiguration.Role
    let summary: String
    let params: [Param]
    /// The names of ``params``, which are all a request may name.
    private let paramNames: [String]
    let result: JSONValue
    /// Application error reasons the method can answer (standard JSON-RPC errors apply to all).
    let errors: [String]
    let handler: Handler

    /// A method that runs in a task of its own.
    init(
        _ name: String, role: DaemonConfiguration.Role, summary: String, params: [Param] = [], result: JSONValue,
        errors: [String] = [], handler: @escaping @Sendable (Params, Call) async throws -> JSONValue
    ) {
        self.init(name, role, summary, params, result, errors, .suspending(handler))
    }

    private init(
        _ name: String, _ role: DaemonConfiguration.Role, _ summary: String, _ params: [Param], _ result: JSONValue,
        _ errors: [String], _ handler: Handler
    ) {
        self.name = name
        self.role = role
        self.summary = summary
        self.params = params
        self.paramNames = params.map(\.name)
        self.result = result
        self.errors = errors
        self.handler = handler
    }

    /// A method that never suspends and only reads memory (no store, no backend), answered at once on the
    /// connection's event loop without a task of its own.
    static func immediate(
        _ name: String, role: DaemonConfiguration.Role, summary: String, params: [Param] = [], result: JSONValue,
        errors: [String] = [], handler: @escaping @Sendable (Params, Call) throws -> JSONValue
    ) -> RPCMethod {
        RPCMethod(name, role, summary, params, result, errors, .immediate(handler))
    }

    /// Validates the params against the documented names and runs the handler.
    func callAsFunction(_ object: JSONObject, _ call: Call) async throws -> JSONValue {
        let params = try validated(object)
        switch handler {
        case .immediate(let body): return try body(params, call)
        case .suspending(let body): return try await body(params, call)
        }
    }

    /// The params, once their names are all documented ones.
    func validated(_ object: JSONObject) throws -> Params {
        try Params(object, allowed: paramNames)
    }
}

/// JSON Schema fragments used to document params and results.
enum Schema {
    static let string: JSONValue = ["type": "string"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let hex32: JSONValue = ["type": "string", "pattern": "^[0-9a-f]{64}$"]
    static let msat: JSONValue = ["type": "integer", "minimum": 1, "maximum": .integer(Params.maximumMsat)]
    static let anyObject: JSONValue = ["type": "object"]
    static let currency: JSONValue = ["type": "string", "pattern": "^[A-Za-z]{3}$"]
    static let fiat: JSONValue = [
        "type": "object", "required": ["currency", "amount"], "additionalProperties": false,
        "properties": [
            "currency": currency,
            "amount": ["type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"],
        ],
    ]

    static func integer(_ minimum: Int64, _ maximum: Int64) -> JSONValue {
        ["type": "integer", "minimum": .integer(minimum), "maximum": .integer(maximum)]
    }

    static func oneOf(_ values: [String]) -> JSONValue {
        ["type": "string", "enum": .array(values.map(JSONValue.string))]
    }

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    /// The answer of a write method: the stored object (schema `name`) with `replayed` beside its fields,
    /// `true` when an earlier call had already stored it and this one changed nothing.
    static func written(_ name: String) -> JSONValue {
        ["allOf": [ref(name), object([("replayed", boolean)])]]
    }

    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    static func object(_ properties: [(String, JSONValue)]) -> JSONValue {
        ["type": "object", "properties": .object(JSONObject(properties))]
    }

    static func page(of item: String, counted: Bool = false) -> JSONValue {
        let total: [(String, JSONValue)] = counted ? [("total", integer(0, Int64.max))] : []
        return object([("items", array(ref(item))), ("next_cursor", ["type": ["string", "null"]])] + total)
    }
}

extension RPCMethod.Param {
    static func optional(_ name: String, _ schema: JSONValue, _ summary: String) -> Self {
        Self(name: name, schema: schema, required: false, summary: summary)
    }

    static func required(_ name: String, _ schema: JSONValue, _ summary: String) -> Self {
        Self(name: name, schema: schema, required: true, summary: summary)
    }

    static let paging: [Self] = [
        .optional("limit", Schema.integer(1, 1000), "page size, default 100"),
        .optional("cursor", Schema.string, "next_cursor of the previous page"),
    ]
}
