import JSONRPC
import Operations

extension DaemonComponents {
    var operationsMethods: [RPCMethod] {
        [
            RPCMethod(
                "daemon.backup", role: .admin,
                summary: "Write a consistent copy of the store while the daemon serves (see docs/operations.md).",
                params: [
                    .required(
                        "path", Schema.string,
                        "the copy's file name in the backup directory (daemon.backup_dir, default DATA_DIR/backups),"
                            + " or an absolute path inside it; must not exist, its directory must")
                ],
                result: Schema.object([
                    ("path", Schema.string), ("size_bytes", Schema.integer(0, Int64.max)),
                    ("last_event_index", Schema.integer(0, Int64.max)), ("integrity_check", Schema.oneOf(["ok"])),
                    ("duration_ms", Schema.integer(0, Int64.max)),
                ]),
                errors: ["backup_failed", "backup_path_refused"]
            ) { params, call in
                let writer = StoreBackupWriter(store: store, directory: configuration.resolvedBackupDirectory)
                let outcome = try await writer.write(to: try params.requiredString("path", maxLength: 4096))
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
