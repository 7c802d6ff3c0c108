import JSONRPC

/// Lists of objects as aligned tables: a header of field names, one row per item, and a footer with the count
/// and the next page's cursor. Long fields that only `get` needs (bolt11, preimage, metadata) are left out.
enum TableText {
    /// Fields a table leaves out: too long for a row; the `get` of the item shows them.
    static let omitted: Set<String> = ["bolt11", "preimage", "metadata", "description_hash", "payment_secret"]

    /// The header and rows of `items`, columns in the order fields first appear, separated by two spaces.
    static func lines(_ items: [JSONObject], fields: FieldText) -> [String] {
        var columns: [String] = []
        for item in items {
            for key in item.keys where !omitted.contains(key) && !columns.contains(key) { columns.append(key) }
        }
        let cells = items.map { item in columns.map { fields.plain($0, item[$0] ?? .null, withHint: false) } }
        let widths = columns.indices.map { column in
            ([TerminalText.escaped(columns[column])] + cells.map { $0[column] }).map(\.count).max() ?? 0
        }
        func row(_ texts: [String], styled: (Int, String) -> String) -> String {
            let padded = texts.indices.map { column in
                let text = texts[column]
                let pad = column == texts.count - 1 ? "" : String(repeating: " ", count: widths[column] - text.count)
                return styled(column, text + pad)
            }
            return padded.joined(separator: "  ")
        }
        var lines = [row(columns.map(TerminalText.escaped)) { $1 }]
        for (item, texts) in zip(items, cells) {
            lines.append(
                row(texts) { column, text in fields.styled(columns[column], item[columns[column]] ?? .null, text) })
        }
        return lines
    }

    /// `3 items`, ` of 57` when the listing counts its whole range, and, when there is a next page,
    /// `; next page: --cursor CURSOR`.
    static func footer(count: Int, total: Int64?, nextCursor: String?) -> String {
        let noun = count == 1 ? "1 item" : "\(count) items"
        return noun + (total.map { " of \($0)" } ?? "")
            + (nextCursor.map { "; next page: --cursor " + TerminalText.escaped($0) } ?? "")
    }
}
