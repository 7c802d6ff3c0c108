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
