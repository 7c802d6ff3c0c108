extension TOMLParser {
    /// Finds the table a `key = value` line writes into, creating the tables of a dotted key's prefix.
    ///
    /// Dotted keys may only extend tables that dotted keys created; the last key must be new.
    /// - Returns: The table that receives the value and the full key path for messages.
    func prepareAssignment(_ segments: [KeySegment], in table: TableNode) throws(TOMLError) -> (
        TableNode, String
    ) {
        var node = table
        for segment in segments.dropLast() {
            let path = KeyPathText.appending(segment.name, to: node.path)
            switch node[segment.name] {
            case nil:
                let child = try makeChild(of: node, segment, origin: .dotted)
                node.insert(.table(child), for: segment.name)
                node = child
            case .table(let child) where child.origin == .dotted:
                node = child
            case .table:
                throw error(
                    .tableRedefinition, "table \(path) is defined by a header and cannot be extended by a dotted key",
                    at: segment.offset, keyPath: path)
            case .tableArray:
                throw error(
                    .tableRedefinition, "\(path) is an array of tables and cannot be extended by a dotted key",
                    at: segment.offset, keyPath: path)
            case .value(let value):
                throw conflict(with: value, at: segment, path: path)
            }
        }
        let last = segments.last!
        let path = KeyPathText.appending(last.name, to: node.path)
        if node[last.name] != nil {
            throw error(.duplicateKey, "key \(path) is defined twice", at: last.offset, keyPath: path)
        }
        return (node, path)
    }

    /// Finds or creates the table of a `[header]` or appends a table to a `[[header]]` array.
    func openHeader(_ segments: [KeySegment], isArray: Bool) throws(TOMLError) -> TableNode {
        var node = root
        for segment in segments.dropLast() {
            switch node[segment.name] {
            case nil:
                let child = try makeChild(of: node, segment, origin: .implicit)
                node.insert(.table(child), for: segment.name)
                node = child
            case .table(let child):
                node = child
            case .tableArray(let array):
                node = array.tables.last!
            case .value(let value):
                throw conflict(with: value, at: segment, path: KeyPathText.appending(segment.name, to: node.path))
            }
        }
        let last = segments.last!
        let path = KeyPathText.appending(last.name, to: node.path)
        switch node[last.name] {
        case nil where isArray:
            let child = try makeChild(of: node, last, origin: .header, path: KeyPathText.appending(index: 0, to: path))
            node.insert(.tableArray(TableArrayNode(first: child)), for: last.name)
            return child
        case nil:
            let child = try makeChild(of: node, last, origin: .header)
            node.insert(.table(child), for: last.name)
            return child
        case .table(let child) where !isArray && child.origin == .implicit:
            child.origin = .header
            return child
        case .table(let child):
            let detail =
                isArray
                ? "table \(path) is already defined and cannot become an array of tables"
                : child.origin == .dotted
                    ? "table \(path) is already defined by dotted keys" : "table \(path) is defined twice"
            throw error(.tableRedefinition, detail, at: last.offset, keyPath: path)
        case .tableArray(let array) where isArray:
            let child = try makeChild(
                of: node, last, origin: .header, path: KeyPathText.appending(index: array.tables.count, to: path))
            array.tables.append(child)
            return child
        case .tableArray:
            throw error(
                .tableRedefinition, "\(path) is an array of tables and cannot be redefined as a table",
                at: last.offset, keyPath: path)
        case .value(let value):
            throw conflict(with: value, at: last, path: path)
        }
    }

    private func makeChild(
        of node: TableNode, _ segment: KeySegment, origin: TableNode.Origin, path: String? = nil
    ) throws(TOMLError) -> TableNode {
        let path = path ?? KeyPathText.appending(segment.name, to: node.path)
        try checkDepth(node.depth + 1, at: segment.offset, keyPath: path)
        return TableNode(origin: origin, depth: node.depth + 1, path: path)
    }

    /// The error for using a key that already holds a value as a table.
    private func conflict(with value: TOMLValue, at segment: KeySegment, path: String) -> TOMLError {
        switch value {
        case .table:
            error(.tableRedefinition, "inline table \(path) cannot be extended", at: segment.offset, keyPath: path)
        case .array:
            error(
                .tableRedefinition, "\(path) is an array value and cannot be extended", at: segment.offset,
                keyPath: path)
        default:
            error(.duplicateKey, "key \(path) already has a value", at: segment.offset, keyPath: path)
        }
    }
}
