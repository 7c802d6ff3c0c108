import Foundation

extension ConfigurationFile {
    /// Reads the configuration file at `path` on top of `configuration`.
    ///
    /// Refuses a file that other users could change (group- or world-writable, or owned by another user than
    /// root while t4gd runs as root: they could remap roles or point the daemon at another node), a file holding
    /// LNbits keys or a PostgreSQL password that any user can read (world-readable; group-readable stays allowed
    /// so that `root:t4gd 0640` works), and an LND macaroon that any user can read. The message names the file
    /// and the fix.
    package static func load(path: String, into configuration: inout DaemonConfiguration) throws(Problem) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Problem(key: "(file)", message: "cannot read \(path)")
        }
        defer { try? handle.close() }
        var status = stat()
        guard fstat(handle.fileDescriptor, &status) == 0 else {
            throw Problem(key: "(file)", message: "cannot read \(path)")
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o022 == 0 else {
            throw Problem(
                key: "(file)",
                message: "\(path) is writable by other users (mode \(octal(mode))); run chmod 600 \(path)")
        }
        guard geteuid() != 0 || status.st_uid == 0 else {
            throw Problem(
                key: "(file)",
                message: "\(path) is owned by uid \(status.st_uid) while t4gd runs as root (that user could remap"
                    + " [roles]); run chown root \(path)")
        }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw Problem(key: "(file)", message: "cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Problem(key: "(file)", message: "\(path) is not UTF-8 text")
        }
        var read = configuration
        try apply(text, to: &read)
        if mode & 0o004 != 0, let secret = secretHeld(by: read) {
            throw Problem(
                key: "(file)",
                message: "\(path) holds \(secret) and is readable by every user (mode \(octal(mode)));"
                    + " run chmod 600 \(path)")
        }
        try checkMacaroon(read.lnd.macaroonPath)
        configuration = read
    }

    /// What secret a configuration holds, if any: LNbits keys or a PostgreSQL password.
    private static func secretHeld(by configuration: DaemonConfiguration) -> String? {
        if configuration.lnbits.invoiceKey != nil || configuration.lnbits.adminKey != nil { return "LNbits keys" }
        if case .postgres(let server) = configuration.store.location, server.password != nil {
            return "a PostgreSQL password"
        }
        return nil
    }

    /// Refuses an LND macaroon that every user can read (group-readable stays allowed, as LND's `lnd` group).
    private static func checkMacaroon(_ path: String?) throws(Problem) {
        var status = stat()
        guard let path, stat(path, &status) == 0, status.st_mode & 0o004 != 0 else { return }
        throw Problem(
            key: "lnd.macaroon_path",
            message: "\(path) is readable by every user (mode \(octal(status.st_mode & 0o777)));"
                + " run chmod 600 \(path) (or 640 with a group t4gd is in)")
    }

    private static func octal(_ mode: mode_t) -> String {
        "0" + String(mode, radix: 8)
    }
}
