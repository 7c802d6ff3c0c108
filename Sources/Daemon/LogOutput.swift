import DaemonConfig
import Foundation
import Logging

/// A swift-log handler writing one line per message to stderr, as text or JSON lines.
///
/// Metadata values are written as given: callers log identifiers (payment hashes, request ids, methods),
/// never parameters or secrets.
struct LogOutput: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let label: String
    let format: DaemonConfiguration.LogFormat

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let time = Date().formatted(.iso8601)
        let line: String
        switch format {
        case .text:
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line =
                "\(time) \(event.level.rawValue.uppercased()) \(label): \(event.message)"
                + (fields.isEmpty ? "" : " " + fields)
        case .json:
            var object: [String: String] = ["time": time, "level": event.level.rawValue, "label": label]
            object["message"] = "\(event.message)"
            for (key, value) in merged { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

}

/// Process-wide logging set-up for the daemon.
package enum DaemonLogging {
    /// Sends every logger of the process to stderr in `format`, at `level` and above.
    package static func bootstrap(level: Logger.Level, format: DaemonConfiguration.LogFormat) {
        LoggingSystem.bootstrap { label in LogOutput(logLevel: level, label: label, format: format) }
    }
}
