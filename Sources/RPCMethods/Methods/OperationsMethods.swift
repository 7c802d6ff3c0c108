import JSONRPC
import Operations

extension DaemonComponents {
    var operationsMethods: [RPCMethod] {
        [
            RPCMethod(.daemonBackup) { params, call in
                let writer = StoreBackupWriter(store: store, directory: configuration.resolvedBackupDirectory)
                let outcome = try await writer.write(to: try params.requiredString("path"))
                call.logger.notice(
                    "store backup written",
                    metadata: [
                        "path": "\(outcome.path)", "last_event_index": "\(outcome.summary.lastEventIndex)",
                        "size_bytes": "\(outcome.sizeBytes)",
                    ])
                return [
                    "path": .string(outcome.path), "size_bytes": .integer(outcome.sizeBytes),
                    "last_event_index": .integer(outcome.summary.lastEventIndex), "integrity_check": "ok",
                    "duration_ms": .integer(
                        outcome.duration.components.seconds * 1000
                            + outcome.duration.components.attoseconds / 1_000_000_000_000_000),
                ]
            }
        ]
    }
}
