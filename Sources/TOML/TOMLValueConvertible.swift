/// A Swift type the typed reading layer can read from a ``TOMLValue``.
public protocol TOMLValueConvertible {
    /// The expected type as named in ``TOMLError/Code/typeMismatch`` errors, e.g. `string` or `array of integer`.
    static var tomlTypeName: String { get }

    /// Converts a TOML value; `nil` if it has another type or does not fit.
    init?(tomlValue: TOMLValue)
}

extension TOMLValue: TOMLValueConvertible {
    public static var tomlTypeName: String { "value" }

    public init?(tomlValue: TOMLValue) {
        self = tomlValue
    }
}

extension String: TOMLValueConvertible {
    public static var tomlTypeName: String { "string" }

    public init?(tomlValue: TOMLValue) {
        guard case .string(let value) = tomlValue else { return nil }
        self = value
    }
}

extension Int64: TOMLValueConvertible {
    public static var tomlTypeName: String { "integer" }

    public init?(tomlValue: TOMLValue) {
        guard case .integer(let value) = tomlValue else { return nil }
        self = value
    }
}

extension Int: TOMLValueConvertible {
    public static var tomlTypeName: String { "integer" }

    public init?(tomlValue: TOMLValue) {
        guard case .integer(let value) = tomlValue, let value = Int(exactly: value) else { return nil }
        self = value
    }
}

extension Double: TOMLValueConvertible {
    /// Named `float`; an integer is read as the float of the same value when it has one exactly.
    public static var tomlTypeName: String { "float" }

    public init?(tomlValue: TOMLValue) {
        switch tomlValue {
        case .float(let value): self = value
        case .integer(let value):
            guard let value = Double(exactly: value) else { return nil }
            self = value
        default: return nil
        }
    }
}

extension Bool: TOMLValueConvertible {
    public static var tomlTypeName: String { "boolean" }

    public init?(tomlValue: TOMLValue) {
        guard case .boolean(let value) = tomlValue else { return nil }
        self = value
    }
}

extension TOMLTable: TOMLValueConvertible {
    public static var tomlTypeName: String { "table" }

    public init?(tomlValue: TOMLValue) {
        guard case .table(let value) = tomlValue else { return nil }
        self = value
    }
}

extension Array: TOMLValueConvertible where Element: TOMLValueConvertible {
    public static var tomlTypeName: String { "array of \(Element.tomlTypeName)" }

    public init?(tomlValue: TOMLValue) {
        guard case .array(let elements) = tomlValue else { return nil }
        var values: [Element] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            guard let value = Element(tomlValue: element) else { return nil }
            values.append(value)
        }
        self = values
    }
}
