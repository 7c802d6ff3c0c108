import Foundation

/// What a finished process left: its exit status and everything it wrote.
public struct ProcessOutput: Sendable {
    /// The exit status.
    public var status: Int32
    /// Its stdout (with its stderr too, when run with `mergingStandardError`).
    public var stdout: String
    /// Its stderr (empty when merged into stdout).
    public var stderr: String

    /// Runs `executable` with `arguments` to its end, stdin from /dev/null; `environment` is added to this
    /// process's environment.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        mergingStandardError: Bool = false
    ) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = mergingStandardError ? stdout : Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = mergingStandardError ? Data() : stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }
}
