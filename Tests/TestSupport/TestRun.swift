import Foundation
import Secp256k1

/// What one test run leaves for the secret scan of `scripts/test.sh`.
///
/// With `T4G_TEST_RUN_DIR` set, every secret the tests create or learn (macaroons, LNbits keys, seeds,
/// preimages of unpaid invoices) is appended to `DIR/secrets.tsv` (one `kind<TAB>hex` line each) and
/// the logs of every ``TemporaryDirectory`` are copied to `DIR/logs/` when it is removed. Without the
/// variable nothing is recorded.
public enum TestRun {
    /// The run's directory, from `T4G_TEST_RUN_DIR`.
    public static let directory = ProcessInfo.processInfo.environment["T4G_TEST_RUN_DIR"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// The manifest of secrets in `directory`.
    public static func manifestPath(in directory: String) -> String { directory + "/secrets.tsv" }

    /// The folder of kept logs in `directory`.
    public static func logsPath(in directory: String) -> String { directory + "/logs" }

    /// Notes `secret` (described by `kind`, e.g. `lnbits admin key`) for the scan.
    public static func recordSecret(_ secret: [UInt8], kind: String) {
        guard let directory, !secret.isEmpty else { return }
        let line = Array("\(kind)\t\(secret.hex)\n".utf8)
        let descriptor = open(manifestPath(in: directory), O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = write(descriptor, line, line.count)
    }

    /// Notes a text secret (an API key, a hex macaroon) by its UTF-8 bytes, and by its bytes too when it is hex.
    public static func recordSecret(text: String, kind: String) {
        recordSecret(Array(text.utf8), kind: kind)
        if let bytes = [UInt8](hex: text) { recordSecret(bytes, kind: kind) }
    }

    /// Copies every `*.log` and `*.err` file under `path` to the run's log folder, named after their path.
    static func keepLogs(under path: String) {
        guard let directory, let files = try? FileManager.default.subpathsOfDirectory(atPath: path) else { return }
        let logs = logsPath(in: directory)
        try? FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let prefix = URL(fileURLWithPath: path).lastPathComponent
        for file in files where file.hasSuffix(".log") || file.hasSuffix(".err") {
            let target = logs + "/" + prefix + "-" + file.replacingOccurrences(of: "/", with: "_")
            try? FileManager.default.copyItem(atPath: path + "/" + file, toPath: target)
        }
    }
}
