import ArgumentParser
import JSONRPC
import Testing

@testable import t4gctl

/// `t4gctl account …` and `ledger audit`: the params each command sends, and how results recorded in the shapes
/// of accounts.md read for people.
@Suite struct AccountCommandTests {
    static let output = HumanOutput(
        fields: FieldText(
            style: TerminalStyle(colours: false), now: 1_796_607_627, timeZone: HumanFormatTests.utc))

    @Test func commandsSendTheContractsParams() throws {
        let create = try AccountCommand.Create.parse([
            "user:42", "--name", "Alice", "--max-payment-msat", "100000", "--daily-spend-msat", "500000",
        ])
        #expect(
            create.params(metadata: ["tier": "gold"]) == [
                "id": "user:42", "name": "Alice", "metadata": ["tier": "gold"],
                "limits": ["max_payment_msat": 100_000, "daily_spend_msat": 500_000],
            ])
        #expect(try AccountCommand.Create.parse(["user:7"]).params(metadata: nil) == ["id": "user:7"])

        let transfer = try AccountCommand.Transfer.parse([
            "user:42", "user:7", "--amount-sat", "500", "--memo", "lunch", "--idempotency-key", "t-1",
        ])
        #expect(
            transfer.params == [
                "from": "user:42", "to": "user:7", "idempotency_key": "t-1", "amount_sat": 500, "memo": "lunch",
            ])
        #expect(throws: (any Error).self, "a transfer needs its idempotency key") {
            try AccountCommand.Transfer.parse(["user:42", "user:7", "--amount-sat", "500"])
        }

        let statement = try AccountCommand.Statement.parse([
            "user:42", "--kind", "transfer_in", "--direction", "in", "--from", "1796600000", "--to", "1796607627",
            "--limit", "20", "--status", "settled",
        ])
        #expect(
            statement.params == [
                "limit": 20, "from": 1_796_600_000, "to": 1_796_607_627, "id": "user:42", "kind": "transfer_in",
                "direction": "in", "status": "settled",
            ])
        #expect(
            try AccountCommand.List.parse(["--status", "open", "--prefix", "club:om/"]).params == [
                "status": "open", "prefix": "club:om/",
            ])
    }

    @Test func anAccountReadsAsRowsWithItsLimitsAndMetadataNested() {
        let account: JSONValue = [
            "id": "user:42", "name": "Alice", "status": "open", "balance_msat": 1_500_000, "balance_sat": 1500,
            "held_msat": 20_000, "held_sat": 20, "available_msat": 1_480_000, "available_sat": 1480,
            "limits": ["max_payment_msat": 100_000, "daily_spend_msat": nil], "spent_24h_msat": 0,
            "metadata": ["tier": "gold"], "created_at": 1_796_607_627,
        ]
        func row(_ label: String, _ value: String) -> String {
            label.padding(toLength: 23, withPad: " ", startingAt: 0) + "  " + value
        }
        #expect(
            Self.output.lines(account) == [
                row("id", "user:42"), row("name", "Alice"), row("status", "open"), row("balance_msat", "1,500 sat"),
                row("balance_sat", "1,500 sat"), row("held_msat", "20 sat"), row("held_sat", "20 sat"),
                row("available_msat", "1,480 sat"), row("available_sat", "1,480 sat"),
                row("limits.max_payment_msat", "100 sat"), row("limits.daily_spend_msat", "-"),
                row("spent_24h_msat", "0 sat"), row("metadata.tier", "gold"),
                row("created_at", "2026-12-07 01:40:27 +00:00 (now)"),
            ])
    }

    @Test func aStatementIsATableThenTheTotalsOfItsWholeRange() {
        let statement: JSONValue = [
            "items": [
                [
                    "kind": "transfer_in", "amount_msat": 500_000, "fee_msat": 0, "counterparty": "user:7",
                    "label": nil, "description": "lunch", "status": "settled", "at": 1_796_607_600,
                ],
                [
                    "kind": "payment", "amount_msat": -250_000, "fee_msat": nil, "counterparty": "@node",
                    "label": nil, "description": "tea", "status": "pending", "at": 1_796_600_000,
                ],
            ],
            "next_cursor": "c2",
            "totals": ["in_msat": 500_000, "out_msat": 250_500, "fees_msat": 1_500, "count": 7],
        ]
        #expect(
            Self.output.lines(statement) == [
                "kind         amount_msat  fee_msat  counterparty  label  description  status   at",
                "transfer_in  500 sat      0 sat     user:7        -      lunch        settled  2026-12-07 01:40:00 +00:00",
                "payment      -250 sat     -         @node         -      tea          pending  2026-12-06 23:33:20 +00:00",
                "2 items; next page: --cursor c2",
                "",
                "totals.in_msat    500 sat",
                "totals.out_msat   250.5 sat",
                "totals.fees_msat  1.5 sat",
                "totals.count      7",
            ])
    }

    @Test func aCountedListSaysHowManyTheFilterMatches() {
        let page: JSONValue = [
            "items": [["id": "club:om/fan:7", "status": "frozen", "balance_msat": 0]], "next_cursor": "c1",
            "total": 57,
        ]
        #expect(
            Self.output.lines(page) == [
                "id             status  balance_msat",
                "club:om/fan:7  frozen  0 sat",
                "1 item of 57; next page: --cursor c1",
            ])
    }

    @Test func anAuditReadsAsItsFigures() {
        let audit: JSONValue = [
            "clean": false, "entries": 1200, "postings": 2400, "unbalanced_entries": [], "negative_accounts": [],
            "stale_holds": [], "liabilities_msat": 5_250_000, "node_msat": 5_250_000,
            "backend_balance_msat": 5_000_000, "surplus_msat": -250_000,
        ]
        func row(_ label: String, _ value: String) -> String {
            label.padding(toLength: 20, withPad: " ", startingAt: 0) + "  " + value
        }
        #expect(
            Self.output.lines(audit) == [
                row("clean", "false"), row("entries", "1200"), row("postings", "2400"),
                row("unbalanced_entries", "[]"), row("negative_accounts", "[]"), row("stale_holds", "[]"),
                row("liabilities_msat", "5,250 sat"), row("node_msat", "5,250 sat"),
                row("backend_balance_msat", "5,000 sat"), row("surplus_msat", "-250 sat"),
            ])
    }
}
