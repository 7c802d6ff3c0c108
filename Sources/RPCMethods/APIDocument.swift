import Foundation
import JSONRPC

/// docs/api.md: the integrator's reference, rendered from the OpenRPC document (`rpc.discover`): every method
/// with its role, params, result, errors and one example request and answer, then the shared schemas.
/// `t4gd --print-api-doc` prints it; a test fails when docs/api.md differs.
package enum APIDocument {
    /// The page, from the declarations of every method.
    package static var markdown: String { render(OpenRPCDocument.complete) }

    /// The page of an OpenRPC document.
    static func render(_ document: JSONValue) -> String {
        let methods = document["methods"]?.arrayValue ?? []
        var lines = [
            "# t4gd JSON-RPC API",
            "",
            "Generated from the OpenRPC document that `rpc.discover` returns, by `t4gd --print-api-doc > docs/api.md`;",
            "do not edit it by hand (`APIDocTests` fails when it is out of date). Requests are JSON-RPC 2.0 with",
            "params by name, one JSON text per line on the Unix socket (docs/rpc.md). Every method can also answer",
            "the standard errors listed with it; docs/rpc-errors.md explains each reason. Examples use illustrative",
            "values.",
            "",
            "| method | role | summary |",
            "|---|---|---|",
        ]
        for method in methods {
            let name = method["name"]?.stringValue ?? ""
            lines.append(
                "| [`\(name)`](#\(anchor(name))) | \(method["x-role"]?.stringValue ?? "") | "
                    + cell(firstSentence(method["summary"]?.stringValue ?? "")) + " |")
        }
        for method in methods { lines += section(method) }
        lines += ["", "## Schemas"]
        for (name, schema) in document["components"]?["schemas"]?.objectValue ?? [:] {
            lines += ["", "### \(name)", "", "| field | type |", "|---|---|"]
            for (field, type) in schema["properties"]?.objectValue ?? [:] {
                lines.append("| `\(field)` | \(cell(describe(type))) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func section(_ method: JSONValue) -> [String] {
        let name = method["name"]?.stringValue ?? ""
        var lines = [
            "", "## \(name)", "", method["summary"]?.stringValue ?? "", "",
            "Role: `\(method["x-role"]?.stringValue ?? "")` or higher.", "",
        ]
        let params = method["params"]?.arrayValue ?? []
        if params.isEmpty {
            lines.append("Params: none.")
        } else {
            lines += ["| param | required | type | meaning |", "|---|---|---|---|"]
            for param in params {
                lines.append(
                    "| `\(param["name"]?.stringValue ?? "")` | \(param["required"]?.boolValue == true ? "yes" : "no") | "
                        + cell(describe(param["schema"] ?? [:])) + " | " + cell(param["summary"]?.stringValue ?? "")
                        + " |")
            }
        }
        lines += ["", "Result: " + describe(method["result"]?["schema"] ?? [:]) + ".", ""]
        let errors = (method["errors"]?.arrayValue ?? []).map { error in
            "`\(error["data"]?["reason"]?.stringValue ?? "")` (\(error["code"]?.int64Value ?? 0))"
        }
        lines.append("Errors: " + errors.joined(separator: ", ") + ".")
        if let example = method["examples"]?[0] {
            let params = JSONObject(
                (example["params"]?.arrayValue ?? []).map { ($0["name"]?.stringValue ?? "", $0["value"] ?? .null) })
            let request: JSONValue = ["jsonrpc": "2.0", "id": 1, "method": .string(name), "params": .object(params)]
            let answer: JSONValue = ["jsonrpc": "2.0", "id": 1, "result": example["result"]?["value"] ?? .null]
            lines += ["", "```json", PrettyJSON.text(request), "```", "", "```json", PrettyJSON.text(answer), "```"]
        }
        return lines
    }

    /// A schema in a few words: `$ref`s link to their section, ranges and lengths are shown.
    static func describe(_ schema: JSONValue) -> String {
        if let reference = schema["$ref"]?.stringValue {
            guard let slash = reference.lastIndex(of: "/"), reference.hasPrefix("#/") else {
                return "[OpenRPC document](\(reference))"
            }
            let name = String(reference[reference.index(after: slash)...])
            return "[\(name)](#\(anchor(name)))"
        }
        if let parts = schema["allOf"]?.arrayValue { return parts.map(describe).joined(separator: " with ") }
        if let values = schema["enum"]?.arrayValue {
            return values.compactMap(\.stringValue).map { "`\"\($0)\"`" }.joined(separator: " or ")
        }
        let types =
            schema["type"]?.arrayValue?.compactMap(\.stringValue) ?? schema["type"]?.stringValue.map { [$0] } ?? []
        var text = types.joined(separator: " or ")
        if let minimum = schema["minimum"]?.int64Value, let maximum = schema["maximum"]?.int64Value {
            text += maximum == Int64.max ? " ≥ \(minimum)" : " \(minimum)…\(maximum)"
        }
        if let maxLength = schema["maxLength"]?.int64Value { text += ", at most \(maxLength) bytes" }
        if let pattern = schema["pattern"]?.stringValue { text += " `\(pattern)`" }
        if let items = schema["items"] { text = "array of " + describe(items) }
        if let properties = schema["properties"]?.objectValue {
            // Members a `required` list leaves out are marked optional (`?`); result objects list none.
            let required = schema["required"]?.arrayValue.map { Set($0.compactMap(\.stringValue)) }
            let members = properties.map { member in
                let optional = required.map { !$0.contains(member.key) } ?? false
                return "`\(member.key)`\(optional ? "?" : ""): \(describe(member.value))"
            }
            text += " {" + members.joined(separator: ", ") + "}"
        }
        return text.isEmpty ? "any" : text
    }

    /// A GitHub heading anchor: lowercase, dots and other punctuation dropped, spaces as dashes.
    private static func anchor(_ heading: String) -> String {
        String(
            heading.lowercased().compactMap {
                $0 == " " ? "-" : ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : nil)
            })
    }

    /// Text for a table cell: pipes escaped, lines joined.
    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// The text up to its first full stop that a capital letter follows ("e.g. the" goes on).
    private static func firstSentence(_ text: String) -> String {
        var searched = text.startIndex
        while let end = text.range(of: ". ", range: searched..<text.endIndex) {
            if text[end.upperBound...].first?.isUppercase == true { return String(text[..<end.lowerBound]) + "." }
            searched = end.upperBound
        }
        return text
    }
}
