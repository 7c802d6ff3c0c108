import Foundation
import TestSupport
import Testing

@Suite struct SecretScannerTests {
    let macaroon = SecretScanner.Secret(kind: "lnd admin macaroon", bytes: (0..<40).map { UInt8($0 * 7 % 256) })
    let key = SecretScanner.Secret(kind: "lnbits admin key", bytes: Array("0f3c8a1e9b7d4c2a6e5f1b3d7a9c0e2f".utf8))

    func log(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\n").utf8) }

    @Test(arguments: ["hex", "HEX", "base64", "base64url"])
    func aPlantedSecretIsFoundByFileLineKindAndEncoding(encoding: String) throws {
        let scanner = SecretScanner(secrets: [macaroon, key])
        let encoded = [
            "hex": macaroon.bytes.map { String($0, radix: 16).leftPadded() }.joined(),
            "HEX": macaroon.bytes.map { String($0, radix: 16).leftPadded() }.joined().uppercased(),
            "base64": Data(macaroon.bytes).base64EncodedString(),
            "base64url": Data(macaroon.bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""),
        ][encoding]!
        let findings = scanner.scan(
            log(["t4gd started", "request_id=1 ok", "header macaroon=\(encoded) sent", "done"]), file: "t4gd.log")
        #expect(findings.map(\.description) == ["t4gd.log:3: lnd admin macaroon (\(encoding))"])
        #expect(!findings.description.contains(encoded))
    }

    @Test func aTextKeyIsFoundAsItIs() {
        let findings = SecretScanner(secrets: [key]).scan(
            log(["GET /api/v1/wallet X-Api-Key: 0f3c8a1e9b7d4c2a6e5f1b3d7a9c0e2f"]), file: "lnbits.log")
        #expect(findings.map(\.line) == [1])
        #expect(findings.map(\.kind) == ["lnbits admin key"])
    }

    @Test func aCleanLogAndTooShortSecretsGiveNoFinding() {
        let short = SecretScanner.Secret(kind: "short", bytes: Array("abc".utf8))
        let findings = SecretScanner(secrets: [macaroon, key, short]).scan(
            log(["abc abc", "0f3c8a1e9b7d4c2a6e5f1b3d7a9c0e2", "payment_hash=" + String(repeating: "ab", count: 32)]),
            file: "t4gd.log")
        #expect(findings.isEmpty)
    }

    @Test func theManifestListsRecordedSecretsByKind() {
        let secrets = SecretScanner.secrets(manifest: "seed\t00ff10\nbroken line\nlnbits admin key\t6162\n")
        #expect(
            secrets == [.init(kind: "seed", bytes: [0, 255, 16]), .init(kind: "lnbits admin key", bytes: [97, 98])])
    }

    @Test func aDirectoryWithALeakingLogFailsTheScan() throws {
        let directory = TemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        try "clean\n".write(toFile: directory.file("a.log"), atomically: true, encoding: .utf8)
        try "x\ny\nkey=0f3c8a1e9b7d4c2a6e5f1b3d7a9c0e2f\n".write(
            toFile: directory.file("b.err"), atomically: true, encoding: .utf8)
        let findings = try SecretScanner(secrets: [key]).scan(directory: directory.path)
        #expect(findings.map(\.description) == ["\(directory.path)/b.err:3: lnbits admin key (raw)"])
    }

    @Test func onlyLNbitsOwnLogMayShowItsPushChannelPath() throws {
        let key = SecretScanner.Secret(
            kind: "lnbits invoice key", bytes: Array("18eb0e3c386f4bb08410ceecd14a5037".utf8))
        let line = Array(
            #"INFO | 127.0.0.1:35562 - "WebSocket /api/v1/ws/18eb0e3c386f4bb08410ceecd14a5037" [accepted]"#.utf8)
        let scanner = SecretScanner(secrets: [key])
        #expect(scanner.scan(line, file: "/run/logs/t4g-x-data_lnbits.log").isEmpty)
        #expect(scanner.scan(line, file: "/run/logs/t4g-x-t4gd.log").count == 1, "t4gd's own log is not exempt")
        #expect(
            scanner.scan(Array("key 18eb0e3c386f4bb08410ceecd14a5037".utf8), file: "/run/logs/t4g-x-data_lnbits.log")
                .count == 1, "only the push channel's path is exempt")
    }

    /// The step of `scripts/test.sh` after the tests: no log of the run may hold a secret the run recorded.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["T4G_SCAN_RUN_DIR"] != nil))
    func noLogOfTheTestRunHoldsASecret() throws {
        let run = try #require(ProcessInfo.processInfo.environment["T4G_SCAN_RUN_DIR"])
        let manifest = try String(contentsOfFile: TestRun.manifestPath(in: run), encoding: .utf8)
        let secrets = SecretScanner.secrets(manifest: manifest)
        let logs = TestRun.logsPath(in: run)
        let files = try FileManager.default.contentsOfDirectory(atPath: logs)
        #expect(!secrets.isEmpty && !files.isEmpty, "the run recorded no secret or no log: nothing was scanned")
        for finding in try SecretScanner(secrets: secrets).scan(directory: logs) {
            Issue.record("secret in a log: \(finding)")
        }
    }
}

extension String {
    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}
