/// A JSON object: string keys in insertion order, so serialized output keeps a stable field order.
///
/// Keys are unique. Equality and hashing ignore order (two objects with the same members are
/// equal), while iteration and serialization follow insertion order.
///
/// Members live in one array; an object of up to ``indexThreshold`` members (nearly every RPC object) finds a
/// key by comparing keys in turn, which costs less than hashing it, and a larger one keeps a hash index.
public struct JSONObject: Sendable {
    private var members: [(key: String, value: JSONValue)]
    /// Each key's position, kept once the object has more than ``indexThreshold`` members.
    private var positions: [String: Int]?

    /// The most members an object finds its keys in without a hash index.
    static let indexThreshold = 12

    /// An empty object.
    public init() {
        self.members = []
    }

    /// An object with `members` in the given order.
    ///
    /// - Precondition: keys are unique, as with `Dictionary(uniqueKeysWithValues:)`.
    public init(_ members: some Sequence<(String, JSONValue)>) {
        self.init()
        self.members.reserveCapacity(members.underestimatedCount)
        for (key, value) in members {
            precondition(self.appendNew(key: key, value: value), "duplicate key \"\(key)\" in JSONObject")
        }
    }

    /// The keys in insertion order.
    public var keys: [String] { members.map(\.key) }

    /// The values in insertion order.
    public var values: [JSONValue] { members.map(\.value) }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The value for `key`; setting `nil` removes the member, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            position(of: key).map { members[$0].value }
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
        if let position = position(of: key) {
            let previous = members[position].value
            members[position].value = value
            return previous
        }
        append(key: key, value: value)
        return nil
    }

    /// Removes the member named `key`.
    ///
    /// - Returns: the removed value, if any.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = position(of: key) else { return nil }
        let removed = members.remove(at: position).value
        positions = members.count > Self.indexThreshold ? Self.index(of: members) : nil
        return removed
    }

    /// Appends a member whose key is not present yet; returns `false` (and changes nothing) otherwise.
    mutating func appendNew(key: String, value: JSONValue) -> Bool {
        guard position(of: key) == nil else { return false }
        append(key: key, value: value)
        return true
    }

    private mutating func append(key: String, value: JSONValue) {
        members.append((key, value))
        if positions != nil {
            positions![key] = members.count - 1
        } else if members.count > Self.indexThreshold {
            positions = Self.index(of: members)
        }
    }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return members.firstIndex { $0.key == key }
    }

    private static func index(of members: [(key: String, value: JSONValue)]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: members.enumerated().map { ($0.element.key, $0.offset) })
    }
}

extension JSONObject: Sequence {
    public typealias Element = (key: String, value: JSONValue)

    /// Iterates members in insertion order.
    public struct Iterator: IteratorProtocol {
        private var members: IndexingIterator<[(key: String, value: JSONValue)]>

        init(_ object: JSONObject) {
            members = object.members.makeIterator()
        }

        public mutating func next() -> Element? {
            members.next()
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
