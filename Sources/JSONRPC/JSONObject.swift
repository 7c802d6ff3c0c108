/// A JSON object: string keys in insertion order, so serialized output keeps a stable field order.
///
/// Keys are unique. Equality and hashing ignore order (two objects with the same members are
/// equal), while iteration and serialization follow insertion order.
public struct JSONObject: Sendable {
    private var storedKeys: [String]
    private var storedValues: [JSONValue]
    private var positions: [String: Int]

    /// An empty object.
    public init() {
        self.storedKeys = []
        self.storedValues = []
        self.positions = [:]
    }

    /// An object with `members` in the given order.
    ///
    /// - Precondition: keys are unique, as with `Dictionary(uniqueKeysWithValues:)`.
    public init(_ members: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in members {
            precondition(self.appendNew(key: key, value: value), "duplicate key \"\(key)\" in JSONObject")
        }
    }

    /// The keys in insertion order.
    public var keys: [String] { storedKeys }

    /// The values in insertion order.
    public var values: [JSONValue] { storedValues }

    /// The number of members.
    public var count: Int { storedKeys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { storedKeys.isEmpty }

    /// The value for `key`; setting `nil` removes the member, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            positions[key].map { storedValues[$0] }
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Sets the value for `key`, keeping its position if it exists and appending it otherwise.
    ///
    /// - Returns: the previous value, if any.
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        if let position = positions[key] {
            let previous = storedValues[position]
            storedValues[position] = value
            return previous
        }
        _ = appendNew(key: key, value: value)
        return nil
    }

    /// Removes the member named `key`.
    ///
    /// - Returns: the removed value, if any.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = positions.removeValue(forKey: key) else { return nil }
        storedKeys.remove(at: position)
        let removed = storedValues.remove(at: position)
        for index in position..<storedKeys.count {
            positions[storedKeys[index]] = index
        }
        return removed
    }

    /// Appends a member whose key is not present yet; returns `false` (and changes nothing) otherwise.
    mutating func appendNew(key: String, value: JSONValue) -> Bool {
        guard positions[key] == nil else { return false }
        positions[key] = storedKeys.count
        storedKeys.append(key)
        storedValues.append(value)
        return true
    }
}

extension JSONObject: Sequence {
    public typealias Element = (key: String, value: JSONValue)

    /// Iterates members in insertion order.
    public struct Iterator: IteratorProtocol {
        private let object: JSONObject
        private var index = 0

        init(_ object: JSONObject) {
            self.object = object
        }

        public mutating func next() -> Element? {
            guard index < object.storedKeys.count else { return nil }
            defer { index += 1 }
            return (object.storedKeys[index], object.storedValues[index])
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(self)
    }

    public var underestimatedCount: Int { count }
}

extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.allSatisfy { rhs[$0.key] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        var membersHash = 0
        for (key, value) in self {
            var memberHasher = Hasher()
            memberHasher.combine(key)
            memberHasher.combine(value)
            membersHash = membersHash &+ memberHasher.finalize()
        }
        hasher.combine(count)
        hasher.combine(membersHash)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: CustomStringConvertible {
    /// The compact JSON text of this object.
    public var description: String {
        JSONValue.object(self).description
    }
}
