import Foundation
import JSONRPC
import TestSupport
import Testing

/// t4gctl's human output on a pseudo-terminal (`script` gives the command one) and on a pipe: colours and the
/// progress line only on the terminal, an invoice author's escape sequences never raw, `--json` the daemon's
/// result byte for byte whatever the output is.
@Suite(.timeLimit(.minutes(3))) struct TerminalOutputTests {
    /// An invoice description that would retitle the window, clear the screen and turn text red.
    static let hostileDescription = "tea \u{1B}]0;owned\u{07}\u{1B}[2J\u{1B}[31m\u{9B}1m"
    static let escapedDescription = "tea \\x1B]0;owned\\x07\\x1B[2J\\x1B[31m\\u{009B}1m"

    /// Runs t4gctl with `arguments`; on a terminal, stdout and stderr are both the pty (lines end `\r\n`,
    /// returned as `\n`); on pipes, they are returned one after the other.
    static func run(
        _ arguments: [String], terminal: Bool, environment: [String: String] = [:]
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await blocking {
            let t4gctl = DaemonProcess.productsDirectory.appendingPathComponent("t4gctl").path
            var environment = environment
            environment["TERM"] = environment["TERM"] ?? "xterm-256color"
            environment["NO_COLOR"] = environment["NO_COLOR"] ?? ""
            guard terminal else {
                let output = try ProcessOutput.run(t4gctl, arguments, environment: environment)
                return (output.status, output.stdout, output.stderr)
            }
            let command = ([t4gctl] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            let output = try ProcessOutput.run(
                "/usr/bin/script", ["-q", "-e", "-c", command.joined(separator: " "), "/dev/null"],
                environment: environment)
            return (output.status, output.stdout.replacingOccurrences(of: "\r\n", with: "\n"), output.stderr)
        }
    }

    @Test func descriptionsAreEscapedAndStatusesColouredOnlyOnATerminalWithoutNoColor() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            _ = try await alice.call(
                "invoice.create", ["amount_msat": 1_500, "description": .string(Self.hostileDescription)])
            let arguments = ["invoice", "list", "--socket", alice.socketPath]
            let piped = try await Self.run(arguments, terminal: false)
            #expect(piped.status == 0)
            #expect(piped.stdout.contains(Self.escapedDescription))
            #expect(piped.stdout.contains("1.5 sat"))
            #expect(piped.stdout.hasSuffix("1 item\n"))
            #expect(!piped.stdout.contains("\u{1B}"), "no escape byte at all on a pipe: \(piped.stdout)")

            let onTerminal = try await Self.run(arguments, terminal: true)
            #expect(onTerminal.status == 0)
            #expect(onTerminal.stdout.contains("\u{1B}[33mopen"), "the open status is yellow: \(onTerminal.stdout)")
            #expect(onTerminal.stdout.contains(Self.escapedDescription))
            #expect(!onTerminal.stdout.contains("\u{1B}]0;"), "the description's sequences are never raw")
            #expect(!onTerminal.stdout.contains("\u{1B}[2J"))

            let noColor = try await Self.run(arguments, terminal: true, environment: ["NO_COLOR": "1"])
            #expect(noColor.status == 0)
            #expect(noColor.stdout.contains("open"))
            #expect(!noColor.stdout.contains("\u{1B}"), "NO_COLOR: no colour on a terminal either")

            let get = try await Self.run(
                ["invoice", "get", "--socket", alice.socketPath, "--label", "none"], terminal: false)
            #expect(get.status == 1, "an error still exits 1: \(get.stderr)")
        }
    }

    @Test func jsonIsTheDaemonsResultByteForByteOnAPipeAndOnATerminal() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let invoice = try await alice.call(
                "invoice.create", ["amount_msat": 2_000, "description": .string(Self.hostileDescription)])
            let hash = invoice.string("payment_hash")
            let cases: [([String], String, JSONObject)] = [
                (["invoice", "get", hash], "invoice.get", ["payment_hash": .string(hash)]),
                (["invoice", "list"], "invoice.list", [:]),
                (["payment", "list"], "payment.list", [:]),
                (["balance"], "wallet.balance", [:]),
                (["transactions", "--direction", "in"], "wallet.transactions", ["direction": "in"]),
                (["events"], "events.list", ["since": 0, "limit": 1000]),
                // Not invoice.decode: the daemon writes that object's keys in no stable order, call to call.
            ]
            for (arguments, method, params) in cases {
                let expected = String(decoding: try await alice.call(method, params).serialized(), as: UTF8.self) + "\n"
                for terminal in [false, true] {
                    let result = try await Self.run(
                        arguments + ["--json", "--socket", alice.socketPath], terminal: terminal)
                    #expect(result.status == 0)
                    #expect(result.stdout == expected, "\(arguments) on \(terminal ? "a terminal" : "a pipe")")
                }
            }
        }
    }

    @Test func payShowsItsStateOnATerminalOnlyAndStatusShowsOneScreen() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()
            let first = try await bob.call("invoice.create", ["amount_msat": 4_000, "description": "first"])
            let onTerminal = try await Self.run(
                ["pay", first.string("bolt11"), "--socket", alice.socketPath], terminal: true)
            #expect(onTerminal.status == 0)
            #expect(onTerminal.stdout.contains("\u{1B}[K"), "the status line is drawn and erased: \(onTerminal.stdout)")
            #expect(onTerminal.stdout.contains(" paying 4 sat: sending, 0s"))
            #expect(onTerminal.stdout.contains("\u{1B}[32msucceeded"))

            let second = try await bob.call("invoice.create", ["amount_msat": 5_000, "description": "second"])
            let piped = try await Self.run(
                ["pay", second.string("bolt11"), "--socket", alice.socketPath], terminal: false)
            #expect(piped.status == 0)
            #expect(piped.stderr.isEmpty, "no progress on a pipe: \(piped.stderr)")
            #expect(piped.stdout.contains("succeeded"))
            #expect(piped.stdout.contains("5 sat"))
            #expect(!piped.stdout.contains("\u{1B}"))

            _ = try await alice.call("invoice.create", ["amount_msat": 7_000, "description": "open one"])
            let status = try await Self.run(["status", "--socket", alice.socketPath], terminal: false)
            #expect(status.status == 0)
            let lines = status.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("daemon            t4gd ") == true, "\(status.stdout)")
            #expect(lines.first?.contains(" on regtest, up ") == true)
            #expect(lines.contains("health            ok, ready"))
            #expect(lines.contains { $0.hasPrefix("backend           dev: ok (") })
            #expect(lines.contains { $0.hasPrefix("store             ok (") })
            #expect(lines.contains("reconciliation    ok"))
            #expect(lines.contains("open invoices     1, 7 sat"))
            #expect(lines.contains("pending payments  0"))
            #expect(lines.contains("last events:"))
            #expect(lines.contains { $0.contains("payment.succeeded") })
            #expect(lines.last?.hasPrefix("  ") == true && lines.last?.hasSuffix(" items") == true)

            let outgoing = try await Self.run(
                ["transactions", "--direction", "out", "--socket", alice.socketPath], terminal: false)
            #expect(outgoing.status == 0)
            #expect(
                outgoing.stdout.split(separator: "\n", omittingEmptySubsequences: false).suffix(7) == [
                    "2 items", "", "totals.in_msat    0 sat", "totals.out_msat   9 sat", "totals.fees_msat  2.009 sat",
                    "totals.count      2", "",
                ], "both payments (4 and 5 sat, fees 1,004 and 1,005 msat) and the sums of the range")

            let json = try await Self.run(
                ["status", "--json", "--events", "2", "--socket", alice.socketPath], terminal: false)
            let object = try JSONValue.parse(Array(json.stdout.utf8))
            #expect(object["open_invoices"]?["count"] == .integer(1))
            #expect(object["pending_payments"]?["count"] == .integer(0))
            #expect(object["last_events"]?.arrayValue?.count == 2)
            #expect(object["info"]?["network"] == "regtest")
        }
    }

    @Test(.enabled(if: getuid() == 0, "switching to user nobody needs root (CI runs as root)"))
    func aRefusedSocketSaysPermissionDeniedAndNamesTheGroup() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            #expect(chmod(alice.socketPath, 0o660) == 0)
            #expect(chown(alice.socketPath, 0, 1) == 0)
            #expect(chmod(alice.directory.path, 0o755) == 0)
            let t4gctl = DaemonProcess.productsDirectory.appendingPathComponent("t4gctl").path
            let result = try await blocking {
                try ProcessOutput.run(
                    "/usr/bin/setpriv",
                    ["--reuid=65534", "--regid=65534", "--clear-groups", t4gctl, "info", "--socket", alice.socketPath])
            }
            #expect(result.status == 3)
            #expect(
                result.stderr.contains("permission denied on \(alice.socketPath) (group daemon, mode 660)"),
                "\(result.stderr)")
            #expect(result.stderr.contains("usermod -aG daemon nobody"))
            #expect(!result.stderr.contains("is it running?"))
        }
    }
}

/// Progress of backup, restore and store migrate: a status line on a terminal only, and a final summary.
@Suite(.timeLimit(.minutes(3))) struct LongWorkProgressTests {
    @Test func backupRestoreAndMigrateShowProgressOnATerminalAndSummariesOnBoth() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            _ = try await alice.call("invoice.create", ["amount_msat": 1_000, "description": "kept"])
            for terminal in [true, false] {
                // Inside the daemon's backup directory (daemon.backup_dir, default DATA_DIR/backups).
                let path = alice.directory.file("backups/" + (terminal ? "terminal.sqlite" : "pipe.sqlite"))
                let backup = try await TerminalOutputTests.run(
                    ["backup", path, "--socket", alice.socketPath], terminal: terminal)
                #expect(backup.status == 0, "\(backup.stderr)")
                #expect(backup.stdout.contains("wrote ") && backup.stdout.contains(" to \(path)"), "\(backup.stdout)")
                #expect(backup.stdout.contains("writing the backup: ") == terminal, "\(backup.stdout)")

                let restored = TemporaryDirectory()
                defer { restored.remove() }
                let restore = try await TerminalOutputTests.run(
                    ["restore", path, "--data-dir", restored.path], terminal: terminal)
                #expect(restore.status == 0, "\(restore.stderr)")
                #expect(restore.stdout.contains("restored ") && restore.stdout.contains(" from \(path)"))
                #expect(restore.stdout.contains("restoring: ") == terminal, "\(restore.stdout)")

                let migrate = try await TerminalOutputTests.run(
                    [
                        "store", "migrate", "--from", "sqlite:" + restored.file("t4gd.sqlite"), "--to",
                        "sqlite:" + restored.file("copy.sqlite"),
                    ], terminal: terminal)
                #expect(migrate.status == 0, "\(migrate.stdout) \(migrate.stderr)")
                #expect(migrate.stdout.contains("invoices: 1 rows, checksum "))
                #expect(migrate.stdout.contains("copied and verified "))
                #expect(migrate.stdout.contains("copying invoices (table ") == terminal, "\(migrate.stdout)")
                #expect(migrate.stdout.contains("\u{1B}") == terminal)
            }
        }
    }
}
