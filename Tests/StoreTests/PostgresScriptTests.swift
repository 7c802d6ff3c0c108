import Foundation
import TestSupport
import Testing

/// `regtest/postgres/postgres.sh start` says why it cannot start, instead of exiting 1 in silence.
@Suite struct PostgresScriptTests {
    @Test func startWithoutAPasswordFileSaysSo() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let cluster = directory.file("cluster")
        try FileManager.default.createDirectory(atPath: cluster, withIntermediateDirectories: true)
        let failure = try #require(await startFailure(cluster, output: directory))
        #expect(failure.status == 1)
        #expect(failure.output.contains("\(cluster)/password is missing"), "\(failure.output)")
    }

    @Test(.enabled(if: getuid() == 0, "only root runs the cluster as the postgres user"))
    func startUnderAFolderThePostgresUserCannotEnterNamesIt() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let locked = directory.file("locked")
        let cluster = locked + "/cluster"
        try FileManager.default.createDirectory(atPath: cluster, withIntermediateDirectories: true)
        try Data("secret-for-a-cluster-that-never-starts".utf8).write(to: URL(fileURLWithPath: cluster + "/password"))
        TestRun.recordSecret(text: "secret-for-a-cluster-that-never-starts", kind: "postgres password")
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: locked)
        let failure = try #require(await startFailure(cluster, output: directory))
        #expect(failure.status == 1)
        #expect(failure.output.contains("the postgres user cannot enter \(locked)"), "\(failure.output)")
    }

    /// Runs `postgres.sh start` on `cluster` and returns how it failed (`nil` when it started).
    private func startFailure(_ cluster: String, output: TemporaryDirectory) async throws -> Services.ScriptFailed? {
        do {
            try await Services.run(PostgresServer.script, ["start", cluster, "0", "\(getpid())"], in: output)
            return nil
        } catch let failure as Services.ScriptFailed {
            return failure
        }
    }
}
