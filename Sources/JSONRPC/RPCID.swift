/// A JSON-RPC request id: a string or an integer.
///
/// Fractional and out-of-range numeric ids are not accepted (the request is invalid), so an id
/// always comes back to the client exactly as it was sent.
public enum RPCID: Hashable, Sendable {
    /// A string id.
    case string(String)
    /// An integer id.
    case integer(Int64)

    /// Reads an id from its JSON form; `nil` for anything but a string or an `Int64` integer.
    public init?(json: JSONValue) {
        switch json {
        case .string(let string): self = .string(string)
        case .integer(let integer): self = .integer(integer)
        default: return nil
        }
    }

    /// The JSON form of the id.
    public var json: JSONValue {
        switch self {
        case .string(let string): .string(string)
        case .integer(let integer): .integer(integer)
        }
    }
}

extension RPCID: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}

extension RPCID: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension RPCID: CustomStringConvertible {
    public var description: String { json.description }
}
