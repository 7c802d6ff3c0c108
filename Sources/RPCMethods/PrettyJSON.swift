import JSONRPC

/// JSON indented by two spaces, members in their order, for the examples of docs/api.md; arrays of scalars stay
/// on one line.
enum PrettyJSON {
    static func text(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .object(let object) where !object.isEmpty:
            let members = object.map { "\(inner)\(compact(.string($0.key))): \(text($0.value, indent: inner))" }
            return "{\n" + members.joined(separator: ",\n") + "\n\(indent)}"
        case .array(let items) where items.contains(where: { $0.objectValue != nil || $0.arrayValue != nil }):
            return "[\n" + items.map { inner + text($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        default:
            return compact(value)
        }
    }

    private static func compact(_ value: JSONValue) -> String {
        String(decoding: value.serialized(), as: UTF8.self)
    }
}
