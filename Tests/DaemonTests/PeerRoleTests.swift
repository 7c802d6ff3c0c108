import DaemonConfig
import Foundation
import JSONRPC
import TestSupport
import Testing

/// Roles from peer credentials, with real Unix users: the test creates (idempotently) the group `t4gtest`
/// and the users `t4gtest-ro`, `t4gtest-inv`, `t4gtest-spend`, `t4gtest-payer` and `t4gtest-none` in it, serves the socket to that group with
/// mode 0660, and runs `t4gctl` as each user through `setpriv`.
@Suite struct PeerRoleTests {
    struct User {
        let uid: UInt32
        let gid: UInt32
    }

    static let group = "t4gtest"

    /// Creates the group and `name` in it unless they exist; the user's ids. Tests that run side by side create
    /// their users one at a time (an exclusive `flock`): two `useradd` of one name at once fail "already
    /// exists" (a new machine's first run), and two at once of any names may fail to lock `/etc/passwd`.
    static func user(_ name: String, in directory: TemporaryDirectory) async throws -> User {
        if UserDatabase.user(named: name) == nil {
            try await Services.run(
                "-c",
                [
                    "exec 9>/tmp/t4gtest-users.lock && flock 9 && groupadd -f --system \"$1\" && { id -u \"$2\""
                        + " >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin -g \"$1\""
                        + " \"$2\"; }", "create", group, name,
                ], in: directory)
        }
        let entry = try #require(UserDatabase.user(named: name))
        return User(uid: entry.uid, gid: entry.gid)
    }

    /// Creates (unless it exists) the group `group` and adds `user` to it as a supplementary group, as
    /// `usermod -aG` does.
    static func addSupplementaryGroup(_ group: String, to user: String, in directory: TemporaryDirectory) async throws {
        try await Services.run(
            "-c",
            [
                "exec 9>/tmp/t4gtest-users.lock && flock 9 && groupadd -f --system \"$1\" && usermod -aG \"$1\" \"$2\"",
                "add", group, user,
            ], in: directory)
    }

    /// A daemon of `network` that serves its socket to the group with mode 0660 and maps `roles` (the lines of
    /// its `[roles]` section), with a copy of the built `t4gctl` in its data directory for the test users.
    static func daemon(in network: DevNetwork, roles: String) async throws -> DaemonProcess {
        let daemon = try await network.daemon(
            extra: "[rpc]\nsocket_group = \"\(group)\"\nsocket_mode = \"0660\"\n[roles]\n\(roles)\n")
        // Written through a close-on-exec descriptor: a child that another test forks meanwhile must not inherit
        // it open for writing, or running the copy fails with ETXTBSY.
        let binary = try Data(
            contentsOf: DaemonProcess.productsDirectory.appendingPathComponent("t4gctl"), options: .alwaysMapped)
        let descriptor = open(daemon.directory.file("t4gctl"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let written = binary.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == binary.count, fchmod(descriptor, 0o755) == 0 else { throw POSIXError(.EIO) }
        return daemon
    }

    /// The `Services.run` arguments that run a command as `user` (no supplementary groups); the command follows.
    static func setpriv(as user: User) -> [String] {
        ["exec setpriv \"$@\"", "setpriv", "--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups", "--"]
    }

    /// Runs the copied `t4gctl` as `user` (no supplementary groups); its stdout, or the failure with stderr.
    static func t4gctl(
        as user: User, _ arguments: [String], daemon: DaemonProcess
    ) async throws -> String {
        try await Services.run(
            "-c",
            setpriv(as: user) + [daemon.directory.file("t4gctl")] + arguments
                + ["--socket", daemon.socketPath, "--json"], in: daemon.directory)
    }

    /// Expects a `t4gctl` run as `user` to fail saying `word`; a failure of the test shows what it printed.
    static func expectRefused(
        as user: User, _ arguments: [String], daemon: DaemonProcess, saying word: String, _ comment: Comment? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        do {
            let output = try await t4gctl(as: user, arguments, daemon: daemon)
            Issue.record("t4gctl \(arguments) as uid \(user.uid) succeeded: \(output)", sourceLocation: sourceLocation)
        } catch let failure as Services.ScriptFailed {
            #expect(
                failure.output.contains(word),
                "\(comment.map { "\($0); " } ?? "")t4gctl \(arguments) as uid \(user.uid) printed: \(failure.output)",
                sourceLocation: sourceLocation)
        }
    }

    @Test(.enabled(if: getuid() == 0, "creating Unix users and switching to them needs root (CI runs as root)"))
    func eachUIDGetsOnlyWhatItsRoleAllows() async throws {
        let setup = TemporaryDirectory()
        defer { setup.remove() }
        let readonly = try await Self.user("t4gtest-ro", in: setup)
        let invoice = try await Self.user("t4gtest-inv", in: setup)
        let unmapped = try await Self.user("t4gtest-none", in: setup)
        let outsider = User(uid: 65534, gid: 65534)
        try await DevNetwork.run { network in
            let daemon = try await Self.daemon(
                in: network, roles: "readonly = [\(readonly.uid)]\ninvoice = [\(invoice.uid)]")
            chmod(daemon.directory.path, 0o755)
            let target = try await daemon.call("invoice.create", ["amount_msat": 5000, "description": "roles"])
            let bolt11 = target.string("bolt11")
            let pay = ["call", "payment.send", "{\"bolt11\":\"\(bolt11)\"}"]

            let info = try await Self.t4gctl(as: readonly, ["call", "daemon.info"], daemon: daemon)
            #expect(info.contains("\"network\""))
            try await Self.expectRefused(as: readonly, pay, daemon: daemon, saying: "unauthorized")
            try await Self.expectRefused(
                as: readonly, ["call", "invoice.create", "{\"amount_msat\":1000,\"description\":\"ro\"}"],
                daemon: daemon, saying: "unauthorized")

            let created = try await Self.t4gctl(
                as: invoice, ["call", "invoice.create", "{\"amount_msat\":1000,\"description\":\"inv\"}"],
                daemon: daemon)
            #expect(created.contains("lnbcrt"))
            try await Self.expectRefused(as: invoice, pay, daemon: daemon, saying: "unauthorized")

            try await Self.expectRefused(as: unmapped, ["call", "daemon.info"], daemon: daemon, saying: "unauthorized")
            try await Self.expectRefused(
                as: outsider, ["call", "daemon.info"], daemon: daemon, saying: "permission_denied",
                "the socket refuses the outsider: said so, not 'is it running?'")

            let unpaid = try await daemon.error("payment.get", ["payment_hash": .string(target.string("payment_hash"))])
            #expect(unpaid?.reason == .paymentNotFound, "a refused payment.send must not pay")
        }
    }

    @Test(.enabled(if: getuid() == 0, "creating Unix users and switching to them needs root (CI runs as root)"))
    func rolesByNameAndSupplementaryGroupMembership() async throws {
        let setup = TemporaryDirectory()
        defer { setup.remove() }
        let readonly = try await Self.user("t4gtest-ro", in: setup)
        let member = try await Self.user("t4gtest-ops-member", in: setup)
        let unmapped = try await Self.user("t4gtest-none", in: setup)
        try await Self.addSupplementaryGroup("t4gtest-ops", to: "t4gtest-ops-member", in: setup)
        try await DevNetwork.run { network in
            let daemon = try await Self.daemon(
                in: network, roles: "readonly = [\"t4gtest-ro\"]\ninvoice_gids = [\"t4gtest-ops\"]")
            let group = try #require(UserDatabase.groupID(named: Self.group))
            chown(daemon.directory.path, uid_t.max, group)
            chmod(daemon.directory.path, 0o750)
            let create = ["call", "invoice.create", "{\"amount_msat\":1000,\"description\":\"ops\"}"]

            #expect(try await Self.t4gctl(as: readonly, ["call", "daemon.info"], daemon: daemon).contains("network"))
            try await Self.expectRefused(as: readonly, create, daemon: daemon, saying: "unauthorized")
            // setpriv --clear-groups: the process itself holds only its primary group; the role comes from the
            // group database (getgrouplist), where usermod -aG put the user.
            let created = try await Self.t4gctl(as: member, create, daemon: daemon)
            #expect(created.contains("lnbcrt"))
            let bolt11 = try JSONValue.parse(Array(created.utf8)).string("bolt11")
            try await Self.expectRefused(
                as: member, ["call", "payment.send", "{\"bolt11\":\"\(bolt11)\"}"], daemon: daemon,
                saying: "unauthorized")
            try await Self.expectRefused(as: unmapped, ["call", "daemon.info"], daemon: daemon, saying: "unauthorized")
        }
    }

    @Test(.enabled(if: getuid() == 0, "creating Unix users and switching to them needs root (CI runs as root)"))
    func spendPaysAndChangesProofsButCannotStopOrBackUp() async throws {
        let setup = TemporaryDirectory()
        defer { setup.remove() }
        let spender = try await Self.user("t4gtest-spend", in: setup)
        let member = try await Self.user("t4gtest-payer", in: setup)
        try await Self.addSupplementaryGroup("t4gtest-payers", to: "t4gtest-payer", in: setup)
        try await DevNetwork.run { network in
            let daemon = try await Self.daemon(
                in: network, roles: "spend = [\"t4gtest-spend\"]\nspend_gids = [\"t4gtest-payers\"]")
            chmod(daemon.directory.path, 0o755)
            let payee = try await network.daemon()
            for (user, amount) in [(spender, 3000), (member, 4000)] {
                let invoice = try await payee.call(
                    "invoice.create", ["amount_msat": .integer(Int64(amount)), "description": "spend"])
                let paid = try JSONValue.parse(
                    Array(
                        try await Self.t4gctl(
                            as: user, ["call", "payment.send", "{\"bolt11\":\"\(invoice.string("bolt11"))\"}"],
                            daemon: daemon
                        ).utf8))
                #expect(paid.string("status") == "succeeded", "uid \(user.uid) pays")
                #expect(paid.integer("amount_msat") == Int64(amount))
            }
            let proof = try JSONValue.parse(
                Array(
                    try await Self.t4gctl(
                        as: spender,
                        [
                            "call", "proof.create",
                            #"{"kind":"purchase","owner":"account:buyer","fields":{"item":"course"}}"#,
                        ], daemon: daemon
                    ).utf8))
            #expect(proof.string("status") == "active")
            let invoice = try await Self.t4gctl(
                as: spender, ["call", "invoice.create", "{\"amount_msat\":1000,\"description\":\"sp\"}"],
                daemon: daemon)
            #expect(invoice.contains("lnbcrt"), "spend holds what invoice may do")

            for user in [spender, member] {
                try await Self.expectRefused(
                    as: user, ["call", "daemon.stop"], daemon: daemon, saying: "daemon.stop needs the admin role")
                try await Self.expectRefused(
                    as: user, ["call", "daemon.backup", "{\"path\":\"spend.sqlite\"}"], daemon: daemon,
                    saying: "daemon.backup needs the admin role")
            }
            #expect(try await daemon.call("daemon.info").string("network") == "regtest", "still serving")
        }
    }
}
