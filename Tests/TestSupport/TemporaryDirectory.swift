import Foundation

/// A fresh directory under /tmp (short paths, as Unix socket paths must stay under 108 bytes), removed by
/// ``remove()``.
public struct TemporaryDirectory: Sendable {
    /// The directory's path.
    public let path: String

    /// Creates the directory.
    public init() {
        path = "/tmp/t4g-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Deletes the directory and everything in it, keeping its logs for the run's secret scan (``TestRun``).
    public func remove() {
        TestRun.keepLogs(under: path)
        try? FileManager.default.removeItem(atPath: path)
    }
}
