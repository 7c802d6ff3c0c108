import JSONRPC
import TestSupport
import Testing

/// `t4gctl account …`, `ledger audit` and the `--account` filters against a real daemon: the human tables,
/// `--json` equal to the daemon's result byte for byte, and refusals exiting 1 with their reason.
@Suite(.timeLimit(.minutes(3))) struct AccountCommandsDaemonTests {
    /// Runs t4gctl on `daemon`'s socket, stdout on a pipe.
    func t4gctl(_ daemon: DaemonProcess, _ arguments: [String]) async throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try await TerminalOutputTests.run(arguments + ["--socket", daemon.socketPath], terminal: false)
    }

    /// The lines of a successful command's stdout.
    func lines(_ daemon: DaemonProcess, _ arguments: [String]) async throws -> [String] {
        let result = try await t4gctl(daemon, arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// `label` padded to `width`, then two spaces and `value`: one row of an object's human form.
    func row(_ label: String, _ value: String, width: Int) -> String {
        label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value
    }

    /// `--json` prints exactly what the daemon answers to `method` with `params`.
    func expectJSON(_ daemon: DaemonProcess, _ arguments: [String], _ method: String, _ params: JSONObject = [:])
        async throws
    {
        let expected = String(decoding: try await daemon.call(method, params).serialized(), as: UTF8.self) + "\n"
        let result = try await t4gctl(daemon, arguments + ["--json"])
        #expect(result.status == 0 && result.stdout == expected, "\(arguments)")
    }

    @Test func accountCommandsAndTheLedgerAuditAgainstADaemon() async throws {
        try await DevNetwork.run { network in
            let alice = try await network.daemon()
            let bob = try await network.daemon()
            let created = try await lines(
                alice, ["account", "create", "user:1", "--name", "Ada", "--daily-spend-msat", "900000"])
            for expected in [
                row("id", "user:1", width: 23), row("name", "Ada", width: 23), row("status", "open", width: 23),
                row("balance_msat", "0 sat", width: 23), row("limits.daily_spend_msat", "900 sat", width: 23),
                row("limits.max_payment_msat", "-", width: 23), row("replayed", "false", width: 23),
            ] {
                #expect(created.contains(expected), "missing \(expected) in \(created)")
            }
            let second = try await t4gctl(alice, ["account", "create", "user:2", "--json"])
            let user2 = try JSONValue.parse(second.stdout)
            #expect(user2.string("id") == "user:2" && user2["replayed"] == .bool(false))

            let invoice = try await alice.call(
                "invoice.create", ["amount_msat": 50_000, "description": "top-up", "account": "user:1"])
            _ = try await bob.call("payment.send", ["bolt11": .string(invoice.string("bolt11"))])
            _ = try await alice.call(
                "invoice.wait", ["payment_hash": .string(invoice.string("payment_hash")), "timeout_s": 10])

            let transfer = [
                "account", "transfer", "user:1", "user:2", "--amount-sat", "10", "--memo", "lunch",
                "--idempotency-key", "k-1",
            ]
            let moved = try await lines(alice, transfer)
            for expected in [
                row("from", "user:1", width: 11), row("to", "user:2", width: 11),
                row("amount_msat", "10 sat", width: 11), row("memo", "lunch", width: 11),
                row("replayed", "false", width: 11),
            ] {
                #expect(moved.contains(expected), "missing \(expected) in \(moved)")
            }
            let transferID = moved.first { $0.hasPrefix("transfer_id ") }?.split(separator: " ").last.map(String.init)
            let replayed = try JSONValue.parse(try await t4gctl(alice, transfer + ["--json"]).stdout)
            #expect(replayed["replayed"] == .bool(true) && replayed.string("transfer_id") == transferID)

            let shown = try await lines(alice, ["account", "show", "user:1"])
            for expected in [
                row("balance_msat", "40 sat", width: 23), row("available_msat", "40 sat", width: 23),
                row("held_msat", "0 sat", width: 23), row("spent_24h_msat", "10 sat", width: 23),
            ] {
                #expect(shown.contains(expected), "missing \(expected) in \(shown)")
            }
            try await expectJSON(alice, ["account", "show", "user:1"], "account.get", ["id": "user:1"])

            let listed = try await lines(alice, ["account", "list", "--prefix", "user:"])
            #expect(listed.first?.hasPrefix("id      name  status  balance_msat") == true, "\(listed)")
            #expect(listed.dropFirst().first?.hasPrefix("user:1  Ada   open    40 sat") == true, "\(listed)")
            #expect(listed.dropFirst(2).first?.hasPrefix("user:2  -     open    10 sat") == true, "\(listed)")
            #expect(listed.dropFirst(3).first == "2 items of 2")
            try await expectJSON(alice, ["account", "list", "--prefix", "user:"], "account.list", ["prefix": "user:"])

            let statement = try await lines(alice, ["account", "statement", "user:1"])
            #expect(
                statement.first?.hasPrefix("entry_id  kind          direction  amount_msat") == true, "\(statement)")
            #expect(
                statement[1].hasPrefix("2         transfer_out  out        -10 sat") && statement[1].contains("lunch")
                    && statement[1].contains("  settled  "))
            #expect(
                statement[2].hasPrefix("1         invoice       in         50 sat") && statement[2].contains("top-up")
                    && statement[2].contains("  settled  "))
            #expect(
                Array(statement[3...]) == [
                    "2 items", "", "totals.in_msat    50 sat", "totals.out_msat   10 sat", "totals.fees_msat  0 sat",
                    "totals.count      2", "",
                ])
            try await expectJSON(
                alice, ["account", "statement", "user:1", "--direction", "out", "--status", "settled"],
                "account.statement", ["id": "user:1", "direction": "out", "status": "settled"])

            let audit = try await lines(alice, ["ledger", "audit"])
            for expected in [
                row("clean", "true", width: 20), row("entries", "2", width: 20), row("postings", "4", width: 20),
                row("liabilities_msat", "50 sat", width: 20), row("node_msat", "50 sat", width: 20),
            ] {
                #expect(audit.contains(expected), "missing \(expected) in \(audit)")
            }
            try await expectJSON(alice, ["ledger", "audit"], "ledger.audit")

            let short = try await t4gctl(
                alice, ["account", "transfer", "user:1", "user:2", "--amount-sat", "100", "--idempotency-key", "k-2"])
            #expect(short.status == 1 && short.stderr.hasPrefix("error: insufficient_funds: "), "\(short.stderr)")
            let missing = try await t4gctl(alice, ["account", "show", "user:9"])
            #expect(missing.status == 1 && missing.stderr.hasPrefix("error: account_not_found: "), "\(missing.stderr)")

            try await expectJSON(
                alice, ["invoice", "list", "--account", "user:1"], "invoice.list", ["account": "user:1"])
            try await expectJSON(
                alice, ["transactions", "--account", "user:1"], "wallet.transactions", ["account": "user:1"])
            try await expectJSON(
                alice, ["events", "--account", "user:2"], "events.list",
                ["since": 0, "limit": 1000, "account": "user:2"])
            let user2Events = try JSONValue.parse(
                try await t4gctl(alice, ["events", "--account", "user:2", "--json"]).stdout)
            #expect(user2Events.arrayValue?.map { $0.string("type") } == ["account.credited"])
        }
    }
}
