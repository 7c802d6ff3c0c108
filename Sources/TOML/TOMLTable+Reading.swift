extension TOMLTable {
    /// The value at `key` converted to `Value`, or `nil` if the key is absent.
    ///
    /// - Throws: ``TOMLError/Code/typeMismatch`` naming the key path and the expected type.
    public func value<Value: TOMLValueConvertible>(_ key: String, as type: Value.Type = Value.self)
        throws(TOMLError) -> Value?
    {
        guard let value = self[key] else { return nil }
        guard let converted = Value(tomlValue: value) else {
            let path = keyPath(of: key)
            let expected = Self.article(Value.tomlTypeName)
            let found = Self.article(Self.describe(value))
            throw TOMLError(.typeMismatch, "\(path) must be \(expected), found \(found)", keyPath: path)
        }
        return converted
    }

    /// The value at `key` converted to `Value`.
    ///
    /// - Throws: ``TOMLError/Code/missingKey`` if the key is absent, ``TOMLError/Code/typeMismatch`` if it has
    ///   another type.
    public func required<Value: TOMLValueConvertible>(_ key: String, as type: Value.Type = Value.self)
        throws(TOMLError) -> Value
    {
        guard let value = try value(key, as: type) else {
            let path = keyPath(of: key)
            throw TOMLError(.missingKey, "\(path) is required", keyPath: path)
        }
        return value
    }

    /// The string at `key`, or `nil` if absent; throws ``TOMLError/Code/typeMismatch`` for another type.
    public func string(_ key: String) throws(TOMLError) -> String? {
        try value(key)
    }

    /// The integer at `key`, or `nil` if absent; throws ``TOMLError/Code/typeMismatch`` for another type.
    public func integer(_ key: String) throws(TOMLError) -> Int64? {
        try value(key)
    }

    /// The float at `key` (an integer is accepted), or `nil` if absent; throws for another type.
    public func float(_ key: String) throws(TOMLError) -> Double? {
        try value(key)
    }

    /// The boolean at `key`, or `nil` if absent; throws ``TOMLError/Code/typeMismatch`` for another type.
    public func bool(_ key: String) throws(TOMLError) -> Bool? {
        try value(key)
    }

    /// The table at `key`, or `nil` if absent; throws ``TOMLError/Code/typeMismatch`` for another type.
    public func table(_ key: String) throws(TOMLError) -> TOMLTable? {
        try value(key)
    }

    /// The array at `key` with elements of any type, or `nil` if absent; throws for another type.
    public func array(_ key: String) throws(TOMLError) -> [TOMLValue]? {
        try value(key)
    }

    /// The array of strings at `key`, or `nil` if absent; throws for another type or a non-string element.
    public func stringArray(_ key: String) throws(TOMLError) -> [String]? {
        try value(key)
    }

    /// The array of integers at `key`, or `nil` if absent; throws for another type or a non-integer element.
    public func integerArray(_ key: String) throws(TOMLError) -> [Int64]? {
        try value(key)
    }

    /// The array of tables at `key` (`[[key]]` sections or an array of inline tables), or `nil` if absent.
    public func tableArray(_ key: String) throws(TOMLError) -> [TOMLTable]? {
        try value(key)
    }

    /// The keys of this table that are not in `allowed`, as full key paths (`lnd.rest_ulr`), in document order.
    public func unknownKeys(allowed: Set<String>) -> [String] {
        keys.filter { !allowed.contains($0) }.map(keyPath(of:))
    }

    /// The full key path of `key` in this table as a user would write it, e.g. `lnd.rest_url` or
    /// `servers[1].host`, for the caller's own messages.
    public func keyPath(of key: String) -> String {
        KeyPathText.appending(key, to: path)
    }

    /// `a string`, `an integer`, `an array of ...`.
    private static func article(_ typeName: String) -> String {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        return (typeName.first.map(vowels.contains) == true ? "an " : "a ") + typeName
    }

    /// The type of a found value without the value itself: `integer`, `array of string and integer`.
    private static func describe(_ value: TOMLValue) -> String {
        guard case .array(let elements) = value, !elements.isEmpty else { return value.typeName }
        var names: [String] = []
        for element in elements where !names.contains(element.typeName) {
            names.append(element.typeName)
        }
        return "array of " + names.joined(separator: " and ")
    }
}
