import Foundation
import JSONRPC

/// Results as people read them: objects as aligned `field  value` rows (nested objects as `outer.inner`),
/// lists of objects as tables with a footer, every value written by ``FieldText``. Any subcommand's result
/// goes through it, so new methods get readable output without code of their own.
struct HumanOutput: Sendable {
    /// How single values are written.
    var fields: FieldText

    /// The output for stdout: colours only on a terminal, hints relative to the current time.
    static func forStandardOutput() -> HumanOutput {
        HumanOutput(fields: FieldText(style: .detect(), now: Int64(Date().timeIntervalSince1970)))
    }

    /// The lines of `value`.
    func lines(_ value: JSONValue) -> [String] {
        switch value {
        case .object(let object):
            if let items = object["items"]?.arrayValue, object.keys.contains("next_cursor") {
                return page(items, of: object)
            }
            return rows(object)
        case .array(let items): return list(items, nextCursor: nil)
        default: return [fields.text("", value)]
        }
    }

    /// Prints `value` on stdout.
    func print(_ value: JSONValue) {
        for line in lines(value) { Swift.print(line) }
    }

    /// A list page: the table of its `items`, a footer with its `total` when it counts its range, then the
    /// page's other fields (such as `totals`, the sums of the whole range) as rows.
    func page(_ items: [JSONValue], of page: JSONObject) -> [String] {
        var rest = page
        for key in ["items", "next_cursor", "total"] { rest[key] = nil }
        let table = list(items, nextCursor: page["next_cursor"]?.stringValue, total: page["total"]?.int64Value)
        return rest.isEmpty ? table : table + [""] + rows(rest)
    }

    /// A table of `items` with its footer, or one value a line when they are not all objects.
    func list(_ items: [JSONValue], nextCursor: String?, total: Int64? = nil) -> [String] {
        let objects = items.compactMap(\.objectValue)
        let body: [String]
        if items.isEmpty {
            body = []
        } else if objects.count == items.count {
            body = TableText.lines(objects, fields: fields)
        } else {
            body = items.map { fields.text("", $0) }
        }
        return body + [TableText.footer(count: items.count, total: total, nextCursor: nextCursor)]
    }

    /// `field  value` rows, aligned; lists of objects inside follow as indented tables under their field.
    func rows(_ object: JSONObject) -> [String] {
        var rows: [(label: String, key: String, value: JSONValue)] = []
        var tables: [String] = []
        func collect(_ object: JSONObject, prefix: String) {
            for key in object.keys {
                let value = object[key] ?? .null
                if let nested = value.objectValue, !nested.keys.isEmpty {
                    collect(nested, prefix: prefix + key + ".")
                } else if let items = value.arrayValue, !items.isEmpty, items.allSatisfy({ $0.objectValue != nil }) {
                    tables +=
                        ["", TerminalText.escaped(prefix + key) + ":"] + list(items, nextCursor: nil).map { "  " + $0 }
                } else {
                    rows.append((TerminalText.escaped(prefix + key), key, value))
                }
            }
        }
        collect(object, prefix: "")
        let width = rows.map(\.label.count).max() ?? 0
        let lines = rows.map { row in
            row.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + fields.text(row.key, row.value)
        }
        return lines + tables
    }
}
