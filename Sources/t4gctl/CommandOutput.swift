import Foundation

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
}
