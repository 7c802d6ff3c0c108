import Foundation

/// What a finished process left: its exit status and everything it wrote.
public struct ProcessOutput: Sendable {
    /// The exit status.
    public var status: Int32
    /// Its stdout (with its stderr too, when run with `mergingStandardError`).
    public var stdout: String
    /// Its stderr (empty when merged into stdout).
    public var stderr: String

    /// Runs `executable` with `arguments` to its end (``ChildProcess``), stdin from /dev/null; `environment` is
    /// added to this process's environment. Its output goes to files, read after it ends: two pipes read one
    /// after the other would stall a child that fills the second first.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        mergingStandardError: Bool = false
    ) throws -> ProcessOutput {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (out, err) = (directory.file("stdout"), directory.file("stderr"))
        let process = try ChildProcess(
            executable, arguments, environment: environment, standardOutput: .file(out),
            standardError: mergingStandardError ? .standardOutput : .file(err))
        let status = process.waitUntilExit()
        return ProcessOutput(
            status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
