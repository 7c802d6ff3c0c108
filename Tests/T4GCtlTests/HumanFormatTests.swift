import Foundation
import JSONRPC
import TestSupport
import Testing

@testable import t4gctl

/// The formatting layer of t4gctl's human output: examples from issue 23, and property tests that every
/// amount, time and duration formats and parses back to the same value.
@Suite struct HumanFormatTests {
    static let utc = TimeZone(identifier: "UTC")!

    @Test func amountsAreSatsWithSeparatorsAndTheRemainderOnlyWhenNonZero() {
        #expect(AmountText.format(msat: 1_000_000) == "1,000 sat")
        #expect(AmountText.format(msat: 1_000_500) == "1,000.5 sat")
        #expect(AmountText.format(msat: 1_000_001) == "1,000.001 sat")
        #expect(AmountText.format(msat: 999) == "0.999 sat")
        #expect(AmountText.format(msat: 0) == "0 sat")
        #expect(AmountText.format(msat: -1_234_567_890) == "-1,234,567.89 sat")
        #expect(AmountText.format(sat: 21_000_000) == "21,000,000 sat")
        #expect(AmountText.format(sat: Int64.max) == nil)
    }

    @Test func everyAmountParsesBack() {
        var generator = SeededGenerator(state: 23)
        let edges: [Int64] = [0, 1, -1, 999, 1000, 1001, Int64.max, Int64.min, Int64.min + 1]
        for msat in edges
            + (0..<20_000).map({ _ in
                Int64.random(in: .min ... .max, using: &generator) >> (Int64.random(in: 0...62, using: &generator))
            })
        {
            #expect(AmountText.parse(AmountText.format(msat: msat)) == msat, "\(msat)")
        }
        #expect(AmountText.parse("1,000.5000 sat") == nil)
        #expect(AmountText.parse("9,223,372,036,854,775.808 sat") == nil, "one past Int64.max msat")
    }

    @Test func durationsAreUnitsWithoutTheZeroOnes() {
        #expect(DurationText.format(seconds: 3_720) == "1h 2m")
        #expect(DurationText.format(seconds: 45) == "45s")
        #expect(DurationText.format(seconds: 0) == "0s")
        #expect(DurationText.format(seconds: 90_061) == "1d 1h 1m 1s")
        #expect(DurationText.format(seconds: -300) == "-5m")
        #expect(DurationText.parse("1h2m") == 3_720)
        #expect(DurationText.parse("-24h") == -86_400)
        #expect(DurationText.parse("2w") == 1_209_600)
        #expect(DurationText.parse("12") == nil, "a bare number is no duration (options take it as seconds)")
        #expect(DurationText.parse("1x") == nil)
    }

    @Test func everyDurationParsesBack() {
        var generator = SeededGenerator(state: 11)
        let edges: [Int64] = [0, 1, 59, 60, 3_599, 86_400, Int64.max, Int64.min + 1]
        for seconds in edges + (0..<20_000).map({ _ in Int64.random(in: -(1 << 40)...(1 << 40), using: &generator) }) {
            #expect(DurationText.parse(DurationText.format(seconds: seconds)) == seconds, "\(seconds)")
        }
    }

    @Test func timesAreLocalISO8601WithARelativeHint() {
        let paris = TimeZone(identifier: "Europe/Paris")!
        #expect(
            TimeText.format(unixSeconds: 1_796_607_627, now: 1_796_604_087, timeZone: Self.utc)
                == "2026-12-07 01:40:27 +00:00 (in 59 min)")
        #expect(TimeText.format(unixSeconds: 1_796_607_627, timeZone: paris) == "2026-12-07 02:40:27 +01:00")
        #expect(
            TimeText.format(unixSeconds: 0, now: 7_200, timeZone: Self.utc) == "1970-01-01 00:00:00 +00:00 (2 h ago)")
        #expect(TimeText.format(unixSeconds: -1, timeZone: Self.utc) == "-1", "before 1970 stays seconds")
        #expect(TimeText.relative(0) == "now")
        #expect(TimeText.relative(200_000) == "in 2 d")
    }

    @Test func timeOptionsTakeDatesRelativeFormsAndUnixSeconds() {
        let now: Int64 = 1_796_607_627
        let paris = TimeZone(identifier: "Europe/Paris")!
        #expect(TimeText.parse("2026-12-01", now: now, timeZone: Self.utc) == 1_796_083_200)
        #expect(
            TimeText.parse("2026-12-01", now: now, timeZone: paris) == 1_796_079_600,
            "local midnight in Paris, 23:00 UTC")
        #expect(TimeText.parse("2026-12-01 10:00", now: now, timeZone: Self.utc) == 1_796_119_200)
        #expect(TimeText.parse("2026-12-01T10:00:00Z", now: now, timeZone: paris) == 1_796_119_200)
        #expect(TimeText.parse("2026-12-01 11:00:00 +01:00", now: now, timeZone: Self.utc) == 1_796_119_200)
        #expect(TimeText.parse("-24h", now: now) == now - 86_400)
        #expect(TimeText.parse("+1d 2h", now: now) == now + 93_600)
        #expect(TimeText.parse("1796607627", now: 0) == 1_796_607_627)
        #expect(TimeText.parse("yesterday", now: now) == nil)
        #expect(TimeText.parse("2026-13-01", now: now) == nil)
        #expect(TimeArgument(argument: "-1h") != nil)
        #expect(TimeArgument(argument: "soon") == nil)
        #expect(DurationArgument(argument: "90")?.seconds == 90)
        #expect(DurationArgument(argument: "1h 30m")?.seconds == 5_400)
        #expect(DurationArgument(argument: "-1h") == nil)
    }

    @Test func aRelativeTimeIsAnOptionValueNotAFlag() throws {
        let before = Int64(Date().timeIntervalSince1970)
        let command = try Transactions.parse(["--from", "-24h", "--to", "1796607627"])
        let after = Int64(Date().timeIntervalSince1970)
        #expect((before - 86_400...after - 86_400).contains(command.range.from?.unixSeconds ?? 0))
        #expect(command.range.to?.unixSeconds == 1_796_607_627)
        #expect(throws: (any Error).self) { try Transactions.parse(["--from", "soon"]) }
    }

    @Test(arguments: ["UTC", "Europe/Paris", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham"])
    func everyTimeParsesBack(zone: String) {
        let timeZone = TimeZone(identifier: zone)!
        var generator = SeededGenerator(state: UInt64(zone.utf8.count))
        let edges: [Int64] = [0, 1, 1_796_607_627, TimeText.latestDate]
        for seconds in edges + (0..<500).map({ _ in Int64.random(in: 0...TimeText.latestDate, using: &generator) }) {
            let hinted = TimeText.format(unixSeconds: seconds, now: 1_796_607_627, timeZone: timeZone)
            #expect(TimeText.parse(hinted, now: 0, timeZone: timeZone) == seconds, "\(seconds) as \(hinted)")
            let bare = TimeText.format(unixSeconds: seconds, timeZone: timeZone)
            #expect(TimeText.parse(bare, now: 0, timeZone: Self.utc) == seconds, "\(bare) carries its offset")
        }
    }

    @Test func controlCharactersAreEscaped() {
        #expect(TerminalText.escaped("coffee") == "coffee")
        #expect(TerminalText.escaped("\u{1B}]0;owned\u{07}\u{1B}[2J") == "\\x1B]0;owned\\x07\\x1B[2J")
        #expect(TerminalText.escaped("a\nb\tc\r") == "a\\nb\\tc\\r")
        #expect(TerminalText.escaped("\u{9B}31m \u{7F}") == "\\u{009B}31m \\x7F")
        #expect(TerminalText.escaped("abc\u{202E}fed") == "abc\\u{202E}fed")
        #expect(TerminalText.escaped("café ⚡️ 日本") == "café ⚡️ 日本")
    }

    @Test func listsAreAlignedTablesWithAFooter() {
        let fields = FieldText(style: TerminalStyle(colours: false), now: 0, timeZone: Self.utc)
        let page: JSONValue = [
            "items": [
                ["status": "open", "amount_msat": 1_000_500, "description": "tea\u{1B}[31m", "bolt11": "lnbcrt1"],
                ["status": "paid", "amount_msat": .null, "description": "x", "bolt11": "lnbcrt2"],
            ],
            "next_cursor": "abc",
        ]
        #expect(
            HumanOutput(fields: fields).lines(page) == [
                "status  amount_msat  description",
                "open    1,000.5 sat  tea\\x1B[31m",
                "paid    -            x",
                "2 items; next page: --cursor abc",
            ])
        #expect(HumanOutput(fields: fields).lines([]) == ["0 items"])
    }

    @Test func objectsAreRowsWithNestedFieldsAndColouredStatusesOnlyWithColours() {
        let object: JSONValue = [
            "status": "degraded", "uptime_s": 3_725, "created_at": 1_796_607_627,
            "components": ["store": ["status": "ok", "latency_ms": 1.25]],
        ]
        let plain = HumanOutput(
            fields: FieldText(style: TerminalStyle(colours: false), now: 1_796_607_627, timeZone: Self.utc))
        func row(_ label: String, _ value: String) -> String {
            label.padding(toLength: 27, withPad: " ", startingAt: 0) + "  " + value
        }
        #expect(
            plain.lines(object) == [
                row("status", "degraded"), row("uptime_s", "1h 2m 5s"),
                row("created_at", "2026-12-07 01:40:27 +00:00 (now)"), row("components.store.status", "ok"),
                row("components.store.latency_ms", "1.2 ms"),
            ])
        let coloured = HumanOutput(fields: FieldText(style: TerminalStyle(colours: true), now: 0, timeZone: Self.utc))
        #expect(coloured.lines(object).first == row("status", "\u{1B}[33mdegraded\u{1B}[0m"))
    }

    @Test func coloursOnlyOnATerminalAndNeverWithNoColor() {
        #expect(TerminalStyle.detect(fileDescriptor: -1, environment: [:]).colours == false, "not a terminal")
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        defer { descriptors.forEach { close($0) } }
        #expect(TerminalStyle.detect(fileDescriptor: descriptors[1], environment: [:]).colours == false, "a pipe")
    }
}

@Suite struct FiatArgumentTests {
    @Test func fiatAmountsParseInEveryWrittenForm() {
        for text in ["78.50EUR", "78.50 EUR", "EUR78.50", "eur 78.50", "78.50eur"] {
            let argument = FiatArgument(argument: text)
            #expect(argument?.currency == "EUR", "\(text)")
            #expect(argument?.amount == "78.50", "\(text)")
        }
        #expect(FiatArgument(argument: "1500XOF")?.amount == "1500")
        for text in ["78.50", "EUR", "78.50EURO", "78,50EUR", "-5EUR", "", "E1UR"] {
            #expect(FiatArgument(argument: text) == nil, "\(text)")
        }
    }
}
