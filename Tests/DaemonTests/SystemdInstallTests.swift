import Foundation
import TestSupport
import Testing

/// `systemd/install.sh` into a temporary root (`DESTDIR`), as far as a container allows: every file with its
/// owner and mode, the system user and group it creates, `systemd-analyze verify` of the installed unit, and an
/// uninstall that removes what the install placed and nothing else.
@Suite(.enabled(if: getuid() == 0, "installing files owned by root and adding a user needs root (CI runs as root)"))
struct SystemdInstallTests {
    static let repository = #filePath.replacingOccurrences(of: "/Tests/DaemonTests/SystemdInstallTests.swift", with: "")

    /// What the tree under a root holds: each path's type and mode, owner, group, and content.
    struct Entry: Equatable, CustomStringConvertible {
        var mode: UInt32
        var owner: UInt32
        var group: UInt32
        var content: Data?
        var description: String { "mode \(String(mode, radix: 8)) \(owner):\(group)" }
    }

    static func tree(_ root: String) -> [String: Entry] {
        var entries: [String: Entry] = [:]
        let paths = FileManager.default.subpaths(atPath: root) ?? []
        for path in paths {
            var status = stat()
            guard lstat(root + "/" + path, &status) == 0 else { continue }
            let isFile = (status.st_mode & S_IFMT) == S_IFREG
            entries["/" + path] = Entry(
                mode: UInt32(status.st_mode), owner: status.st_uid, group: status.st_gid,
                content: isFile ? FileManager.default.contents(atPath: root + "/" + path) : nil)
        }
        return entries
    }

    /// Runs `systemd/install.sh` with `arguments` under `root`; returns its status and output.
    static func install(_ arguments: [String], root: String, manuals: String) throws -> (Int32, String) {
        let output = try ProcessOutput.run(
            repository + "/systemd/install.sh", arguments,
            environment: [
                "DESTDIR": root, "T4GD_BINARIES": DaemonProcess.productsDirectory.path, "T4GD_MANUALS": manuals,
            ], mergingStandardError: true)
        return (output.status, output.stdout)
    }

    /// A root with the account files of a system (and their backups), and files that are not the install's.
    static func seedRoot(_ root: String) throws {
        let files: [String: String] = [
            "etc/passwd": "root:x:0:0:root:/root:/bin/bash\n", "etc/group": "root:x:0:\n",
            "etc/shadow": "root:*:19000:0:99999:7:::\n", "etc/gshadow": "root:*::\n",
            "usr/local/bin/someone-elses-tool": "#!/bin/sh\n", "usr/local/share/man/man1/other.1": ".TH OTHER 1\n",
        ]
        for (path, text) in files {
            try FileManager.default.createDirectory(
                atPath: root + "/" + (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: root + "/" + path, atomically: false, encoding: .utf8)
            if path.hasPrefix("etc/") {
                try text.write(toFile: root + "/" + path + "-", atomically: false, encoding: .utf8)
            }
        }
        _ = FileManager.default.createFile(atPath: root + "/etc/.pwd.lock", contents: nil)
    }

    /// A seeded root (``seedRoot(_:)``) and man pages laid out as the generate-manual plugin writes them,
    /// both in `directory`.
    static func prepare(_ directory: TemporaryDirectory) throws -> (root: String, manuals: String) {
        let root = directory.file("root")
        let manuals = directory.file("manuals")
        try seedRoot(root)
        for tool in ["t4gctl", "t4gd"] {
            try FileManager.default.createDirectory(atPath: manuals + "/" + tool, withIntermediateDirectories: true)
            try ".TH \(tool.uppercased()) 1\n".write(
                toFile: manuals + "/\(tool)/\(tool).1", atomically: false, encoding: .utf8)
        }
        return (root, manuals)
    }

    @Test func installsEveryFileWithItsOwnerAndModeAndUninstallsExactlyThat() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (root, manuals) = try Self.prepare(directory)
        let before = Self.tree(root)

        let installed = try Self.install([], root: root, manuals: manuals)
        #expect(installed.0 == 0, "\(installed.1)")
        let after = Self.tree(root)
        let passwd = try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8)
        let user = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("t4gd:") })
        let fields = user.split(separator: ":", omittingEmptySubsequences: false)
        #expect(fields.count == 7 && fields[5] == "/var/lib/t4gd" && fields[6] == "/usr/sbin/nologin", "\(user)")
        let uid = try #require(UInt32(fields[2]))
        #expect(uid < 1000, "a system user")
        let groups = try String(contentsOfFile: root + "/etc/group", encoding: .utf8)
        let gid = try #require(
            groups.split(separator: "\n").first { $0.hasPrefix("t4gd:") }.flatMap {
                UInt32($0.split(separator: ":")[2])
            })
        #expect(String(fields[3]) == "\(gid)", "the user's own group")

        let binary = DaemonProcess.productsDirectory.path
        let expected: [(String, UInt32, UInt32, String?)] = [
            ("/usr/local/bin/t4gd", 0o100755, 0, binary + "/t4gd"),
            ("/usr/local/bin/t4gctl", 0o100755, 0, binary + "/t4gctl"),
            ("/etc/t4gd", 0o040750, gid, nil),
            ("/etc/t4gd/t4gd.toml", 0o100640, gid, Self.repository + "/Config/t4gd.toml"),
            ("/etc/systemd/system/t4gd.service", 0o100644, 0, Self.repository + "/systemd/t4gd.service"),
            ("/usr/local/share/man/man1/t4gctl.1", 0o100644, 0, manuals + "/t4gctl/t4gctl.1"),
            ("/usr/local/share/man/man1/t4gd.1", 0o100644, 0, manuals + "/t4gd/t4gd.1"),
            ("/usr/local/share/bash-completion/completions/t4gctl", 0o100644, 0, nil),
            ("/usr/local/share/zsh/site-functions/_t4gctl", 0o100644, 0, nil),
            ("/usr/local/share/fish/vendor_completions.d/t4gctl.fish", 0o100644, 0, nil),
            ("/usr/local/share/t4gd/install-manifest", 0o100644, 0, nil),
        ]
        for (path, mode, group, source) in expected {
            let entry = try #require(after[path], "\(path) installed")
            #expect(entry.mode == mode && entry.owner == 0 && entry.group == group, "\(path): \(entry)")
            if let source { #expect(entry.content == FileManager.default.contents(atPath: source), "\(path)") }
        }
        let completions = [
            ("bash-completion/completions/t4gctl", "_t4gctl"), ("zsh/site-functions/_t4gctl", "#compdef t4gctl"),
            ("fish/vendor_completions.d/t4gctl.fish", "complete -c 't4gctl'"),
        ]
        for (path, marker) in completions {
            let text = String(decoding: after["/usr/local/share/" + path]?.content ?? Data(), as: UTF8.self)
            #expect(text.contains(marker) && text.contains("status") && text.contains("invoice"), "\(path)")
        }
        let placed = Set(after.keys).subtracting(before.keys)
        let accounted = Set(expected.map(\.0))
        let directories = placed.subtracting(accounted).filter {
            (after[$0]?.mode ?? 0) & UInt32(S_IFMT) == UInt32(S_IFDIR)
        }
        #expect(
            placed.subtracting(accounted).subtracting(directories).isEmpty,
            "unexpected: \(placed.subtracting(accounted))")
        for path in directories { #expect(after[path]?.mode == 0o040755 && after[path]?.owner == 0, "\(path)") }

        // systemd-analyze verify checks that ExecStart= is executable: the copy points it into the root.
        let unit = try String(contentsOfFile: root + "/etc/systemd/system/t4gd.service", encoding: .utf8)
        let copy = unit.replacingOccurrences(
            of: "ExecStart=/usr/local/bin/t4gd ", with: "ExecStart=\(root)/usr/local/bin/t4gd ")
        #expect(copy != unit)
        try copy.write(toFile: directory.file("t4gd.service"), atomically: true, encoding: .utf8)
        let verify = try SystemdUnitTests().systemdAnalyze(["verify", directory.file("t4gd.service")])
        #expect(verify.status == 0 && verify.output.isEmpty, "\(verify.output)")

        let again = try Self.install([], root: root, manuals: manuals)
        #expect(again.0 == 0, "installing twice is an upgrade: \(again.1)")
        #expect(Self.tree(root).keys.sorted() == after.keys.sorted())

        let removed = try Self.install(["--uninstall"], root: root, manuals: manuals)
        #expect(removed.0 == 0, "\(removed.1)")
        var left = Self.tree(root)
        var original = before
        for backup in ["/etc/passwd-", "/etc/group-", "/etc/shadow-", "/etc/gshadow-", "/etc/.pwd.lock"] {
            #expect(left.removeValue(forKey: backup) != nil, "useradd's backup \(backup) stays, as on any system")
            original.removeValue(forKey: backup)
        }
        #expect(
            left == original,
            "exactly the tree before the install: \(Set(left.keys).symmetricDifference(original.keys))")
    }

    @Test func aConfigurationThatExistedBeforeIsKeptByBoth() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (root, manuals) = try Self.prepare(directory)
        try FileManager.default.createDirectory(atPath: root + "/etc/t4gd", withIntermediateDirectories: true)
        try "network = \"regtest\"\n".write(toFile: root + "/etc/t4gd/t4gd.toml", atomically: false, encoding: .utf8)

        #expect(try Self.install([], root: root, manuals: manuals).0 == 0)
        #expect(try String(contentsOfFile: root + "/etc/t4gd/t4gd.toml", encoding: .utf8) == "network = \"regtest\"\n")
        #expect(try Self.install(["--uninstall"], root: root, manuals: manuals).0 == 0)
        #expect(try String(contentsOfFile: root + "/etc/t4gd/t4gd.toml", encoding: .utf8) == "network = \"regtest\"\n")
        #expect(!FileManager.default.fileExists(atPath: root + "/usr/local/bin/t4gd"))
    }
}
