import JSONRPC
import Secp256k1
import Wallet

extension RPCParam {
    /// The values a parameter takes. Each case gives both the parameter's JSON Schema (``schema``) and the
    /// check of a request's value (``check(_:name:)``).
    enum Kind: Sendable {
        /// A string of at most `maxLength` UTF-8 bytes.
        case string(maxLength: Int)
        /// `bytes` bytes in hex, either case.
        case hex(bytes: Int)
        /// An integer in `range`.
        case integer(ClosedRange<Int64>)
        /// An integer amount in `range`; one outside it is `invalid_amount` rather than `invalid_params`.
        case amount(ClosedRange<Int64>)
        /// `true` or `false`.
        case boolean
        /// One of `values`.
        case choice([String])
        /// An ISO 4217 currency code: three letters.
        case currency
        /// An account id of a caller (`^[a-z0-9][a-z0-9._:/-]{0,127}$`), or one of the system accounts `system`.
        case account(system: [String])
        /// An object whose members are declared params of their own.
        case members([RPCParam])
        /// A JSON object of `schema`, whose members the method reads itself.
        case object(JSONValue)
        /// A JSON array whose items follow `items`, which the method reads itself.
        case array(items: JSONValue)

        /// The JSON Schema of the values this kind takes.
        var schema: JSONValue {
            switch self {
            case .string(let maxLength): ["type": "string", "maxLength": .integer(Int64(maxLength))]
            case .hex(let bytes): ["type": "string", "pattern": .string("^[0-9a-fA-F]{\(bytes * 2)}$")]
            case .integer(let range), .amount(let range): Schema.integer(range.lowerBound, range.upperBound)
            case .boolean: Schema.boolean
            case .choice(let values): Schema.oneOf(values)
            case .currency: Schema.currency
            case .account(let system):
                system.isEmpty
                    ? Schema.callerAccountID : ["anyOf": [Schema.callerAccountID, Schema.oneOf(system)]]
            case .members(let members):
                [
                    "type": "object", "properties": .object(JSONObject(members.map { ($0.name, $0.schema) })),
                    "required": .array(members.filter(\.required).map { .string($0.name) }),
                    "additionalProperties": false,
                ]
            case .object(let schema): schema
            case .array(let items): Schema.array(items)
            }
        }

        /// Refuses `value` (not `null`) when this kind does not take it, naming the parameter `name`.
        func check(_ value: JSONValue, name: String) throws(DaemonError) {
            switch self {
            case .string(let maxLength):
                guard let text = value.stringValue else { throw .invalidParams("'\(name)' must be a string") }
                guard text.utf8.count <= maxLength else {
                    throw .invalidParams("'\(name)' is longer than \(maxLength) bytes")
                }
            case .hex(let bytes):
                guard let text = value.stringValue, let decoded = [UInt8](hex: text.lowercased()),
                    decoded.count == bytes
                else { throw .invalidParams("'\(name)' must be \(bytes * 2) hex digits") }
            case .integer(let range):
                guard range.contains(try Self.integer(value, name: name)) else {
                    throw .invalidParams("'\(name)' must be between \(range.lowerBound) and \(range.upperBound)")
                }
            case .amount(let range):
                guard range.contains(try Self.integer(value, name: name)) else {
                    throw DaemonError(
                        .invalidAmount, "'\(name)' must be between \(range.lowerBound) and \(range.upperBound)")
                }
            case .boolean:
                guard value.boolValue != nil else { throw .invalidParams("'\(name)' must be a boolean") }
            case .choice(let values):
                guard let text = value.stringValue, values.contains(text) else {
                    throw .invalidParams("'\(name)' must be one of: \(values.joined(separator: ", "))")
                }
            case .currency:
                guard let code = value.stringValue, code.utf8.count == 3, code.allSatisfy(\.isASCII),
                    code.allSatisfy(\.isLetter)
                else { throw .invalidParams("'\(name)' must be an ISO 4217 code such as \"EUR\"") }
            case .account(let system):
                guard let text = value.stringValue, AccountBook.isCallerID(text) || system.contains(text) else {
                    throw .invalidParams("'\(name)' must be an account id (\(AccountBook.callerIDPattern))")
                }
            case .members(let members):
                guard let object = value.objectValue else { throw .invalidParams("'\(name)' must be an object") }
                _ = try Params(object, declared: members, path: name + ".")
            case .object:
                guard value.objectValue != nil else { throw .invalidParams("'\(name)' must be an object") }
            case .array:
                guard value.arrayValue != nil else { throw .invalidParams("'\(name)' must be a list") }
            }
        }

        private static func integer(_ value: JSONValue, name: String) throws(DaemonError) -> Int64 {
            guard let integer = value.int64Value else {
                throw .invalidParams("'\(name)' must be an integer (got a non-integer or an out-of-range number)")
            }
            return integer
        }
    }
}
