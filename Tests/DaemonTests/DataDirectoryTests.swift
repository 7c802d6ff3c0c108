import Foundation
import JSONRPC
import RPCClient
import TestSupport
import Testing

/// The data directory at rest (docs/security.md, "Files"): created owner-only with every file in it `0600` under a
/// permissive umask, refused when open to other users, locked against a second daemon, and a start on a read-only
/// file system answered with one line. Every daemon here is a real `t4gd` process started under umask 022.
@Suite struct DataDirectoryTests {
    /// `t4gd ARGUMENTS` run by a shell that sets umask 022 first (`exec`, so the process is t4gd itself).
    static func underUmask022(_ arguments: [String]) -> [String] {
        let t4gd = DaemonProcess.productsDirectory.appendingPathComponent("t4gd").path
        return ["-c", "umask 022; exec \"$0\" \"$@\"", t4gd] + arguments + ["--no-metrics"]
    }

    /// Starts t4gd with `arguments`, which must refuse the start within 30 s; its exit status and output.
    static func refusal(_ arguments: [String], in directory: TemporaryDirectory) async throws -> (
        status: Int32, output: String
    ) {
        let t4gd = DaemonProcess.productsDirectory.appendingPathComponent("t4gd").path
        do {
            let output = try await Services.run(
                "-c", ["umask 022; exec timeout 30 \"$0\" \"$@\" --no-metrics", t4gd] + arguments, in: directory)
            return (0, output)
        } catch let failure as Services.ScriptFailed {
            return (failure.status, failure.output)
        }
    }

    /// The permission bits of `path`, or `nil` when it does not exist.
    static func mode(_ path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o7777 : nil
    }

    @Test func aFreshDataDirectoryAndEveryFileInItAreOwnerOnlyUnderUmask022() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.file("data")
        let socket = directory.file("t4gd.sock")
        let process = try ChildProcess("/bin/bash", Self.underUmask022(["--data-dir", data, "--socket", socket]))
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var answered = false
        for _ in 0..<600 where !answered && process.isRunning {
            if let client = try? await RPCClient.connect(unixDomainSocketPath: socket) {
                let params: JSONObject = ["amount_msat": 1000, "description": "modes"]
                answered = (try? await client.call("invoice.create", params: params)) != nil
                await client.close()
            }
            if !answered { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(answered, "t4gd did not answer")
        let client = try await RPCClient.connect(unixDomainSocketPath: socket)
        let backup = try await client.call("daemon.backup", params: ["path": "fresh.sqlite"])
        await client.close()
        #expect(backup.string("path") == data + "/backups/fresh.sqlite")

        #expect(Self.mode(data) == 0o700)
        let names = try #require(FileManager.default.subpaths(atPath: data))
        #expect(
            Set(names).isSuperset(of: [
                "seed", "instance", "t4gd.lock", "t4gd.sqlite", "t4gd.sqlite-wal", "dev-ledger.sqlite", "backups",
                "backups/fresh.sqlite",
            ]))
        for name in names {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: data + "/" + name, isDirectory: &isDirectory)
            #expect(Self.mode(data + "/" + name) == (isDirectory.boolValue ? 0o700 : 0o600), "\(name)")
        }
    }

    @Test func aDataDirectoryOrStoreFileOthersCanReadIsRefusedWithTheFix() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let daemon = try await DaemonProcess(directory: directory)
        _ = try await daemon.call("invoice.create", ["amount_msat": 1000, "description": "modes"])
        await daemon.stop()
        let arguments = ["--config", daemon.configPath, "--data-dir", directory.path]

        chmod(directory.path, 0o755)
        let openDirectory = try await Self.refusal(arguments, in: directory)
        #expect(openDirectory.status == 78)
        #expect(
            openDirectory.output
                == "t4gd: the data directory \(directory.path) is open to other users (mode 0755);"
                + " run chmod 700 \(directory.path)\n")

        chmod(directory.path, 0o700)
        chmod(directory.file("t4gd.sqlite"), 0o644)
        let openStore = try await Self.refusal(arguments, in: directory)
        #expect(openStore.status == 78)
        #expect(
            openStore.output
                == "t4gd: data files are readable by other users (\(directory.file("t4gd.sqlite")) 0644);"
                + " run chmod 600 \(directory.file("t4gd.sqlite"))\n")

        chmod(directory.file("t4gd.sqlite"), 0o600)
        let restarted = try await daemon.restarted()
        #expect(try await restarted.call("daemon.info").string("backend") == "dev")
        await restarted.stop()
    }

    @Test func aSecondDaemonOnTheSameDataDirectoryIsRefusedNamingTheFirst() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let first = try await DaemonProcess(directory: directory)
        let second = try await Self.refusal(
            ["--config", first.configPath, "--data-dir", directory.path, "--socket", directory.file("second.sock")],
            in: directory)
        #expect(second.status == 78)
        #expect(
            second.output
                == "t4gd: another t4gd (pid \(first.processIdentifier)) is using the data directory \(directory.path);"
                + " stop it, or give this daemon its own --data-dir\n")
        #expect(try await first.call("daemon.info").string("backend") == "dev")
        await first.kill()
        let next = try await first.restarted()
        #expect(try await next.call("daemon.info").string("backend") == "dev", "a killed daemon's lock is released")
        await next.stop()
    }

    /// Mounts a 1 MiB tmpfs at `path` with `options`.
    static func mount(_ path: String, _ options: String, in directory: TemporaryDirectory) async throws {
        try await Services.run("-c", ["mount -t tmpfs -o \"$1\" t4gtest \"$0\"", path, options], in: directory)
    }

    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root (CI runs as root)"))
    func aStartOnAReadOnlyFileSystemPrintsOneClearLine() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let mountPoint = directory.file("ro")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        try await Self.mount(mountPoint, "size=1m,mode=0700", in: directory)
        defer { umount(mountPoint) }
        let existing = mountPoint + "/data"
        try FileManager.default.createDirectory(
            atPath: existing, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        try await Services.run("-c", ["mount -o remount,ro \"$0\"", mountPoint], in: directory)

        for data in [existing, mountPoint + "/new"] {
            let refused = try await Self.refusal(
                ["--data-dir", data, "--socket", directory.file("t4gd.sock")], in: directory)
            #expect(refused.status == 78)
            #expect(
                refused.output
                    == "t4gd: the data directory \(data) is on a read-only file system; t4gd keeps its seed, lock and"
                    + " store there: remount it read-write or choose another --data-dir\n")
        }
    }
}
