import Foundation

extension ConfigurationFile {
    /// Reads the configuration file at `path` on top of `configuration`.
    ///
    /// Refuses a file that other users could change (group- or world-writable: they could remap roles or
    /// point the daemon at another node), and a file holding LNbits keys that any user can read
    /// (world-readable; group-readable stays allowed so that `root:t4gd 0640` works). The message names
    /// the file and the fix.
    public static func load(path: String, into configuration: inout DaemonConfiguration) throws(Problem) {
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
        let holdsKeys = read.lnbitsInvoiceKey != nil || read.lnbitsAdminKey != nil
        guard !holdsKeys || mode & 0o004 == 0 else {
            throw Problem(
                key: "(file)",
                message: "\(path) holds LNbits keys and is readable by every user (mode \(octal(mode)));"
                    + " run chmod 600 \(path)")
        }
        configuration = read
    }

    private static func octal(_ mode: mode_t) -> String {
        "0" + String(mode, radix: 8)
    }
}
