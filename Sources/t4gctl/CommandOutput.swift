import Foundation
import JSONRPC

/// How t4gctl prints results (stdout) and errors (stderr).
enum CommandOutput {
    /// Prints a value as pretty, key-sorted JSON on stdout.
    static func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        print(String(decoding: data, as: UTF8.self))
    }

    /// Prints `label  value` rows with the values aligned.
    static func printTable(_ rows: [(String, String)]) {
        let width = rows.map(\.0.count).max() ?? 0
        for (label, value) in rows {
            print(label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
    }

    /// Prints an error on stderr: `{"error":{"reason":…,"message":…}}` with `asJSON`, else one line.
    static func printError(reason: String, message: String, asJSON: Bool) {
        let text: String
        if asJSON {
            let object = ["error": ["reason": reason, "message": message]]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = "error: \(message)"
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints a daemon error on stderr (its reason, message and request id).
    static func printError(rpcError error: RPCError, asJSON: Bool) {
        if asJSON {
            let text = String(decoding: JSONValue.object(["error": error.json]).serialized(), as: UTF8.self)
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            let details = error.data.keys.filter { $0 != "reason" }.map { key in
                "\(key)=\(Self.inline(error.data[key] ?? .null))"
            }
            let line =
                "error: \(error.reason.name): \(error.message)"
                + (details.isEmpty ? "" : " (" + details.joined(separator: ", ") + ")")
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// Prints a result for people: objects as aligned rows, lists of objects as blocks, scalars as they are.
    static func printHuman(_ value: JSONValue) {
        switch value {
        case .object(let object):
            if let items = object["items"]?.arrayValue, object.keys.contains("next_cursor") {
                printHuman(.array(items))
                if let cursor = object["next_cursor"]?.stringValue { print("(more: --cursor \(cursor))") }
                return
            }
            printTable(object.keys.map { ($0, inline(object[$0] ?? .null)) })
        case .array(let items):
            if items.isEmpty { print("(none)") }
            for (index, item) in items.enumerated() {
                if index > 0 { print("") }
                printHuman(item)
            }
        default:
            print(inline(value))
        }
    }

    /// A value on one line: strings bare, `-` for null, compact JSON for the rest.
    static func inline(_ value: JSONValue) -> String {
        switch value {
        case .null: "-"
        case .string(let text): text
        default: String(decoding: value.serialized(), as: UTF8.self)
        }
    }
}
