/// A table under construction while parsing, with what TOML 1.0 needs to know to refuse redefinitions: how the
/// table came to exist. Turned into a ``TOMLTable`` once the document is parsed.
final class TableNode {
    /// How a table came to exist, which decides what may still add to it.
    enum Origin {
        /// Created as the prefix of a header (`a` for `[a.b]`); a later `[a]` header may still define it once.
        case implicit
        /// Defined by a `[header]`, as an element of `[[array]]`, or the document root.
        case header
        /// Created by a dotted key (`a.b = 1` creates `a`); only dotted keys of the same section may extend it,
        /// and headers may add sub-tables to it.
        case dotted
        /// The root of an inline table, closed once its `}` is read.
        case inline
    }

    /// What a key of a table under construction holds.
    enum Entry {
        /// A finished value, including arrays and inline tables, which nothing may extend.
        case value(TOMLValue)
        case table(TableNode)
        case tableArray(TableArrayNode)
    }

    var origin: Origin
    /// The number of tables, arrays and inline tables between the document root and this table.
    let depth: Int
    /// The rendered key path from the root, for error messages.
    let path: String
    private var keys: [String] = []
    private var entries: [String: Entry] = [:]

    init(origin: Origin, depth: Int, path: String) {
        self.origin = origin
        self.depth = depth
        self.path = path
    }

    subscript(key: String) -> Entry? {
        entries[key]
    }

    /// Adds an entry for a key that does not exist yet.
    func insert(_ entry: Entry, for key: String) {
        assert(entries[key] == nil)
        entries[key] = entry
        keys.append(key)
    }

    /// The finished table with its key path, tables from headers and dotted keys included.
    func makeTable() -> TOMLTable {
        var table = TOMLTable()
        table.place(at: path)
        for key in keys {
            switch entries[key]! {
            case .value(let value):
                table[key] = value
            case .table(let node):
                table[key] = .table(node.makeTable())
            case .tableArray(let array):
                table[key] = .array(array.tables.map { .table($0.makeTable()) })
            }
        }
        return table
    }
}

/// An array of tables under construction, one table per `[[header]]`.
final class TableArrayNode {
    var tables: [TableNode]

    init(first: TableNode) {
        tables = [first]
    }
}
