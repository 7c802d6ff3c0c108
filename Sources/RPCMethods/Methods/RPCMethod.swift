import DaemonConfig
import JSONRPC
import Logging
import RPCServer
import Wallet

/// One method of the RPC contract: its declaration (published by `rpc.discover` as OpenRPC) and its handler.
struct RPCMethod: Sendable {
    /// What a method is, apart from what it does: name, role, documentation, params, result and errors. The
    /// declarations are static values (`RPCMethod.Declaration.all`), so the OpenRPC document and docs/api.md
    /// are made without a running daemon.
    struct Declaration: Sendable {
        let name: String
        /// The least role that may call it.
        let role: DaemonConfiguration.Role
        let summary: String
        /// Every param a request may name, each declared once (checked by `Params`, published as its schema).
        let params: [RPCParam]
        /// The JSON Schema of the result.
        let result: JSONValue
        /// Application error reasons the method can answer (standard JSON-RPC errors apply to all).
        let errors: [RPCErrorReason]
        /// The params of the example request in docs/api.md; by default the required params, each with an
        /// example of its kind.
        let example: JSONObject?

        init(
            _ name: String, role: DaemonConfiguration.Role, summary: String, params: [RPCParam] = [],
            result: JSONValue, errors: [RPCErrorReason] = [], example: JSONObject? = nil
        ) {
            self.name = name
            self.role = role
            self.summary = summary
            self.params = params
            self.result = result
            self.errors = errors
            self.example = example
        }
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

    let declaration: Declaration
    let handler: Handler

    var name: String { declaration.name }
    var role: DaemonConfiguration.Role { declaration.role }

    /// A method that runs in a task of its own.
    init(_ declaration: Declaration, handler: @escaping @Sendable (Params, Call) async throws -> JSONValue) {
        self.declaration = declaration
        self.handler = .suspending(handler)
    }

    private init(_ declaration: Declaration, _ handler: Handler) {
        self.declaration = declaration
        self.handler = handler
    }

    /// A method that never suspends and only reads memory (no store, no backend), answered at once on the
    /// connection's event loop without a task of its own.
    static func immediate(
        _ declaration: Declaration, handler: @escaping @Sendable (Params, Call) throws -> JSONValue
    ) -> RPCMethod {
        RPCMethod(declaration, .immediate(handler))
    }

    /// Checks the params against their declarations and runs the handler.
    func callAsFunction(_ object: JSONObject, _ call: Call) async throws -> JSONValue {
        let params = try validated(object)
        switch handler {
        case .immediate(let body): return try body(params, call)
        case .suspending(let body): return try await body(params, call)
        }
    }

    /// The params, once every one is declared and takes its value.
    func validated(_ object: JSONObject) throws(DaemonError) -> Params {
        try Params(object, declared: declaration.params)
    }
}

/// JSON Schema fragments used to document params and results.
enum Schema {
    static let string: JSONValue = ["type": "string"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let hex32: JSONValue = ["type": "string", "pattern": "^[0-9a-f]{64}$"]
    static let msat: JSONValue = RPCParam.Kind.msat.schema
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

    /// A list page of `item` objects; `counted` adds `total`, `totals` a `totals` object of that schema.
    static func page(of item: String, counted: Bool = false, totals: String? = nil) -> JSONValue {
        let total: [(String, JSONValue)] = counted ? [("total", integer(0, Int64.max))] : []
        let sums: [(String, JSONValue)] = totals.map { [("totals", ref($0))] } ?? []
        return object([("items", array(ref(item))), ("next_cursor", ["type": ["string", "null"]])] + total + sums)
    }
}
