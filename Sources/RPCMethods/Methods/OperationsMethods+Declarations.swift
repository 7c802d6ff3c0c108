import JSONRPC

extension RPCMethod.Declaration {
    static let daemonBackup = Self(
        "daemon.backup", role: .admin,
        summary: "Write a consistent copy of the store while the daemon serves (see docs/operations.md).",
        params: [
            .required(
                "path", .string(maxLength: 4096),
                "the copy's file name in the backup directory (daemon.backup_dir, default DATA_DIR/backups),"
                    + " or an absolute path inside it; must not exist, its directory must")
        ],
        result: Schema.object([
            ("path", Schema.string), ("size_bytes", Schema.integer(0, Int64.max)),
            ("last_event_index", Schema.integer(0, Int64.max)), ("integrity_check", Schema.oneOf(["ok"])),
            ("duration_ms", Schema.integer(0, Int64.max)),
        ]),
        errors: [.backupFailed, .backupPathRefused],
        example: ["path": "t4gd-2026-12-07.sqlite"]
    )
}
