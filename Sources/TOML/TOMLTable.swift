/// A TOML table: string keys mapped to ``TOMLValue``s, iterated in the order the keys were first written.
///
/// Two tables are equal when they hold the same keys with equal values, whatever the order, as TOML tables are
/// unordered. A table knows its key path from the root of the tree it is stored in (`lnd`, `servers[1]`), which the
/// typed reading layer uses in its error messages and in ``unknownKeys(allowed:)``.
public struct TOMLTable: Hashable, Sendable {
    /// The keys in insertion order.
    public private(set) var keys: [String] = []
    private var storage: [String: TOMLValue] = [:]
    /// The key path of this table from the root of the tree it sits in, empty for a root; kept up to date when
    /// the table is stored in another, and not part of equality.
    private(set) var path = ""

    /// Creates an empty table.
    public init() {}

    /// Creates a table from key-value pairs, in their order.
    ///
    /// - Precondition: No key occurs twice.
    public init(uniqueKeysWithValues pairs: some Sequence<(String, TOMLValue)>) {
        for (key, value) in pairs {
            precondition(storage[key] == nil, "duplicate key in TOMLTable(uniqueKeysWithValues:)")
            self[key] = value
        }
    }

    /// The number of keys.
    public var count: Int { keys.count }

    /// Whether the table has no keys.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value for `key`; setting a new key appends it, setting `nil` removes it.
    public subscript(key: String) -> TOMLValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue.placed(at: KeyPathText.appending(key, to: path)), forKey: key) == nil {
                    keys.append(key)
                }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The value at a key path through nested tables, e.g. `["lnd", "rest_url"]`; `nil` if any step is missing or
    /// is not a table. An empty path gives the table itself.
    public func value(at path: [String]) -> TOMLValue? {
        var table = self
        for key in path.dropLast() {
            guard case .table(let next) = table[key] else { return nil }
            table = next
        }
        guard let last = path.last else { return .table(self) }
        return table[last]
    }

    /// Moves this table to `path` in its tree, and its nested tables with it.
    mutating func place(at path: String) {
        guard path != self.path else { return }
        self.path = path
        for key in keys {
            storage[key] = storage[key]!.placed(at: KeyPathText.appending(key, to: path))
        }
    }

    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
        lhs.storage == rhs.storage
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage)
    }
}

extension TOMLValue {
    /// This value with the tables in it moved to `path` (array elements to `path[i]`).
    fileprivate func placed(at path: @autoclosure () -> String) -> TOMLValue {
        switch self {
        case .table(var table):
            table.place(at: path())
            return .table(table)
        case .array(let elements) where elements.contains(where: \.containsTable):
            let path = path()
            return .array(elements.enumerated().map { $1.placed(at: KeyPathText.appending(index: $0, to: path)) })
        default:
            return self
        }
    }

    private var containsTable: Bool {
        switch self {
        case .table: true
        case .array(let elements): elements.contains(where: \.containsTable)
        default: false
        }
    }
}

extension TOMLTable: Sequence {
    /// Iterates the key-value pairs in insertion order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: TOMLValue)> {
        keys.lazy.map { (key: $0, value: storage[$0]!) }.makeIterator()
    }
}

extension TOMLTable: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TOMLValue)...) {
        self.init(uniqueKeysWithValues: elements)
    }
}
