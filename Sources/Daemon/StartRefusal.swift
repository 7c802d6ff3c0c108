import Foundation

/// Why t4gd refuses to start: a data directory, data file or configured file it must not run with, or another
/// daemon already holding the data directory. `t4gd` prints the message as one line and exits 78 (EX_CONFIG).
/// The message names the path and how to fix it, never a secret.
package struct StartRefusal: Error, Sendable, CustomStringConvertible {
    /// One line for the operator.
    package let message: String

    /// Creates a refusal.
    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }

    /// The refusal for a path that a failed system call could not create or open; `EROFS` says so plainly.
    static func cannotWrite(_ what: String, _ path: String, errno code: Int32) -> StartRefusal {
        if code == EROFS {
            return StartRefusal(
                "\(what) \(path) is on a read-only file system; t4gd keeps its seed, lock and store there:"
                    + " remount it read-write or choose another --data-dir")
        }
        return StartRefusal("cannot create \(what) \(path): \(String(cString: strerror(code)))")
    }

    /// A file mode as octal text, `0644`.
    static func octal(_ mode: mode_t) -> String {
        "0" + String(mode & 0o777, radix: 8)
    }
}
