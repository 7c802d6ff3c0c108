import Foundation
import TestSupport
import Testing

/// `systemd/t4gd.service` passes `systemd-analyze verify` and keeps its exposure score at most 2.0
/// (`scripts/setup.sh` installs systemd for `systemd-analyze`).
@Suite struct SystemdUnitTests {
    static let unitPath = #filePath.replacingOccurrences(
        of: "Tests/DaemonTests/SystemdUnitTests.swift", with: "systemd/t4gd.service")

    /// Runs `systemd-analyze` with `arguments`; returns its exit status and its stdout and stderr together.
    func systemdAnalyze(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let output = try ProcessOutput.run(
            "/usr/bin/env", ["systemd-analyze"] + arguments, mergingStandardError: true)
        return (output.status, output.stdout)
    }

    @Test func theUnitVerifiesWithTheBuiltDaemon() throws {
        // verify checks that ExecStart= is executable, so a copy of the unit points it at the t4gd just built.
        let unit = try String(contentsOfFile: Self.unitPath, encoding: .utf8)
        let daemon = DaemonProcess.productsDirectory.appendingPathComponent("t4gd").path
        let copy = unit.replacingOccurrences(of: "ExecStart=/usr/local/bin/t4gd ", with: "ExecStart=\(daemon) ")
        #expect(copy != unit, "the unit starts /usr/local/bin/t4gd, where systemd/install.sh puts it")
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try copy.write(toFile: directory.file("t4gd.service"), atomically: true, encoding: .utf8)
        let verify = try systemdAnalyze(["verify", directory.file("t4gd.service")])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.isEmpty, "systemd-analyze verify warns: \(verify.output)")
    }

    @Test func theExposureScoreIsAtMostTwo() throws {
        let security = try systemdAnalyze(["security", "--offline=true", "--no-pager", Self.unitPath])
        #expect(security.status == 0, "\(security.output)")
        let line = security.output.split(separator: "\n").first { $0.contains("Overall exposure level") }
        let score = line?.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        #expect(score != nil, "no exposure level in: \(security.output)")
        #expect((score ?? 10) <= 2.0, "\(line ?? "")")
    }
}
