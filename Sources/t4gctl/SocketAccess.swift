import Foundation

/// Why this user may not connect to the daemon's socket, when that is why a connection failed: connecting
/// needs write permission on the socket and search permission on its directories, which the socket's group
/// grants (`[rpc] socket_group`; the roles come from peer credentials).
enum SocketAccess {
    /// `permission denied on PATH: …` naming the group that grants access, or nil when the user may connect
    /// (the daemon then is not running, or the path is wrong).
    static func denial(_ path: String) -> String? {
        if access(path, W_OK) == 0 || errno != EACCES { return nil }
        var status = stat()
        let owner = stat(path, &status) == 0 ? path : URL(fileURLWithPath: path).deletingLastPathComponent().path
        if owner != path && stat(owner, &status) != 0 {
            return "permission denied on \(path): this user (\(userName())) may not reach it"
        }
        let group = groupName(status.st_gid)
        return "permission denied on \(owner) (group \(group), mode \(String(status.st_mode & 0o777, radix: 8))):"
            + " the group \(group) grants access; add this user (\(userName())) to it"
            + " (usermod -aG \(group) \(userName())) and log in again"
    }

    private static func groupName(_ gid: gid_t) -> String {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return "\(gid)" }
        return String(cString: name)
    }

    private static func userName() -> String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid \(geteuid())" }
        return String(cString: name)
    }
}
