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

    /// Prints `label  value` rows with the values aligned (the values already escaped for the terminal).
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
            text = "error: " + TerminalText.escaped(message)
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints a note for people on stderr (`note: …`), apart from the result on stdout.
    static func printNote(_ message: String) {
        FileHandle.standardError.write(Data(("note: " + TerminalText.escaped(message) + "\n").utf8))
    }

    /// Prints a daemon error on stderr (its reason, message and request id).
    static func printError(rpcError error: RPCError, asJSON: Bool) {
        if asJSON {
            let text = String(decoding: JSONValue.object(["error": error.json]).serialized(), as: UTF8.self)
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            let details = error.data.keys.filter { $0 != "reason" }.map { key in
                TerminalText.escaped(key) + "=" + Self.inline(error.data[key] ?? .null)
            }
            let line =
                "error: " + TerminalText.escaped(error.reason.name + ": " + error.message)
                + (details.isEmpty ? "" : " (" + details.joined(separator: ", ") + ")")
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// A value on one line for an error's details: strings bare (escaped), `-` for null, compact JSON else.
    static func inline(_ value: JSONValue) -> String {
        switch value {
        case .null: "-"
        case .string(let text): TerminalText.escaped(text)
        default: TerminalText.escaped(String(decoding: value.serialized(), as: UTF8.self))
        }
    }
}
