import Foundation
import TestSupport
import Testing

/// The modes of the configuration file (Config/t4gd.toml, "Permissions") and of the seed are checked at start.
@Suite struct FilePermissionTests {
    /// The start error of a daemon whose config is `config` with `mode`, or `nil` if it started.
    func startError(config: String, mode: mode_t) async -> String? {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        do {
            let daemon = try await DaemonProcess(directory: directory, config: config, configMode: mode)
            await daemon.stop()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [0o666, 0o620, 0o602] as [mode_t])
    func aConfigOthersCanChangeIsRefusedNamingTheFileAndTheFix(mode: mode_t) async throws {
        let error = try #require(await startError(config: "[log]\nlevel = \"info\"\n", mode: mode))
        #expect(error.contains("t4gd.toml is writable by other users (mode 0\(String(mode, radix: 8)))"))
        #expect(error.contains("run chmod 600 /tmp/t4g-"))
    }

    @Test func aConfigWithLNbitsKeysThatEveryoneCanReadIsRefused() async throws {
        let config = "[lnbits]\nadmin_key = \"0f3c8a1e9b7d4c2a6e5f1b3d7a9c0e2f\"\n"
        let error = try #require(await startError(config: config, mode: 0o644))
        #expect(error.contains("t4gd.toml holds LNbits keys and is readable by every user (mode 0644)"))
        #expect(await startError(config: config, mode: 0o640) == nil)
    }

    @Test func aConfigWithAPostgreSQLPasswordThatEveryoneCanReadIsRefusedBeforeConnecting() async throws {
        let config = "[store]\nurl = \"postgres://t4gd:s3cret-pw@127.0.0.1:9/t4gd\"\n"
        let error = try #require(await startError(config: config, mode: 0o644))
        #expect(error.contains("t4gd.toml holds a PostgreSQL password and is readable by every user (mode 0644)"))
        #expect(error.contains("run chmod 600 /tmp/t4g-"))
        #expect(!error.contains("s3cret-pw"))
    }

    @Test func anLNDMacaroonThatEveryoneCanReadIsRefused() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let macaroon = directory.file("admin.macaroon")
        try Data([0x02, 0x01]).write(to: URL(fileURLWithPath: macaroon))
        chmod(macaroon, 0o644)
        let config = "[lnd]\nmacaroon_path = \"\(macaroon)\"\n"
        let error = try #require(await startError(config: config, mode: 0o600))
        #expect(
            error.contains(
                "lnd.macaroon_path: \(macaroon) is readable by every user (mode 0644); run chmod 600 \(macaroon)"))
        chmod(macaroon, 0o640)
        #expect(await startError(config: config, mode: 0o600) == nil, "group-readable, as LND writes it, starts")
    }

    @Test(.enabled(if: getuid() == 0, "only a daemon running as root checks who owns its config"))
    func aConfigOwnedByAnUnprivilegedUserIsRefusedWhenRunningAsRoot() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let config = directory.file("owned.toml")
        try "[log]\nlevel = \"info\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o600)
        chown(config, 65534, 65534)
        let refused = try await DataDirectoryTests.refusal(
            ["--config", config, "--data-dir", directory.file("data")], in: directory)
        #expect(refused.status == 78)
        #expect(
            refused.output
                == "t4gd: configuration error: (file): \(config) is owned by uid 65534 while t4gd runs as root (that"
                + " user could remap [roles]); run chown root \(config)\n")
    }

    @Test func aReadableConfigWithoutKeysStarts() async {
        #expect(await startError(config: "[log]\nlevel = \"info\"\n", mode: 0o644) == nil)
    }

    @Test func aSeedOthersCanReadIsRefused() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try await DaemonProcess(directory: directory)
        await daemon.stop()
        chmod(directory.file("seed"), 0o640)
        do {
            _ = try await daemon.restarted()
            Issue.record("started with a group-readable seed")
        } catch {
            #expect(
                "\(error)".contains("the seed file \(directory.file("seed")) is readable by other users; run chmod 600")
            )
        }
    }
}
