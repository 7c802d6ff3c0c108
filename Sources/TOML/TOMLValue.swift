/// A TOML value: one of the TOML 1.0 types this module supports.
///
/// Offset date-times, local date-times, local dates and local times are not supported; the parser rejects them
/// with ``TOMLError/Code/unsupportedValue``.
public enum TOMLValue: Hashable, Sendable {
    /// A basic or literal string, single- or multi-line, with escapes resolved.
    case string(String)
    /// A 64-bit signed integer written in decimal, hexadecimal, octal or binary.
    case integer(Int64)
    /// A 64-bit float, including `inf` and `nan`.
    case float(Double)
    /// `true` or `false`.
    case boolean(Bool)
    /// An array; TOML 1.0 allows its elements to have different types.
    case array([TOMLValue])
    /// A table from a header, dotted keys, an inline table or an element of an array of tables.
    case table(TOMLTable)

    /// The TOML name of the value's type as used in error messages: `string`, `integer`, `float`, `boolean`,
    /// `array` or `table`.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        case .table: "table"
        }
    }
}

extension TOMLValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension TOMLValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}

extension TOMLValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) {
        self = .float(value)
    }
}

extension TOMLValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .boolean(value)
    }
}

extension TOMLValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: TOMLValue...) {
        self = .array(elements)
    }
}

extension TOMLValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TOMLValue)...) {
        self = .table(TOMLTable(uniqueKeysWithValues: elements))
    }
}
