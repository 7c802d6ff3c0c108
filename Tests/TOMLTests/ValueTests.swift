import TOML
import Testing

/// The value of `v` in a one-line document `v = <literal>`.
private func value(_ literal: String) throws -> TOMLValue? {
    try TOMLTable(parsing: "v = \(literal)")["v"]
}

@Suite struct StringTests {
    @Test func basicStringWithEveryEscape() throws {
        let text = #"v = "b\b t\t n\n f\f r\r q\" s\\ u\u00E9 U\U0001F600""#
        #expect(try TOMLTable(parsing: text)["v"] == .string("b\u{08} t\t n\n f\u{0C} r\r q\" s\\ u\u{E9} U\u{1F600}"))
    }

    @Test func basicStringKeepsTabsAndUnicode() throws {
        #expect(try value("\"a\tb ünï 😀\"") == .string("a\tb ünï 😀"))
        #expect(try value("\"\"") == .string(""))
    }

    @Test func literalStringHasNoEscapes() throws {
        #expect(try value(#"'C:\Users\nodejs\templates'"#) == .string(#"C:\Users\nodejs\templates"#))
        #expect(try value(#"'<\i\c*\s*>'"#) == .string(#"<\i\c*\s*>"#))
        #expect(try value("''") == .string(""))
    }

    @Test func multiLineBasicStringTrimsFirstNewline() throws {
        let text = "v = \"\"\"\nRoses are red\nViolets are blue\"\"\""
        #expect(try TOMLTable(parsing: text)["v"] == .string("Roses are red\nViolets are blue"))
    }

    @Test func multiLineBasicStringNormalizesCRLF() throws {
        let text = "v = \"\"\"\r\none\r\ntwo\"\"\"\r\n"
        #expect(try TOMLTable(parsing: text)["v"] == .string("one\ntwo"))
    }

    @Test func lineEndingBackslashTrimsWhitespaceAndNewlines() throws {
        let text = "v = \"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\   \n    the lazy dog.\"\"\""
        #expect(try TOMLTable(parsing: text)["v"] == .string("The quick brown fox jumps over the lazy dog."))
        let crlf = "v = \"\"\"\\\r\n  a\\\r\n  b\\\r\n\"\"\""
        #expect(try TOMLTable(parsing: crlf)["v"] == .string("ab"))
    }

    @Test func multiLineBasicStringAllowsQuotesAndEscapes() throws {
        let twoQuotes = "\"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\""
        #expect(try value(twoQuotes) == .string("Here are two quotation marks: \"\". Simple enough."))
        let escapedThird = "\"\"\"Here are three quotation marks: \"\"\\\".\"\"\""
        #expect(try value(escapedThird) == .string("Here are three quotation marks: \"\"\"."))
        let quotesAtBothEnds = "\"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\""
        #expect(try value(quotesAtBothEnds) == .string("\"This,\" she said, \"is just a pointless statement.\""))
        let twoQuotesBeforeClosing = "\"\"\"a\"\"\"\"\""
        #expect(try value(twoQuotesBeforeClosing) == .string("a\"\""))
        #expect(try value("\"\"\"tab\\tend\\u0041\"\"\"") == .string("tab\tendA"))
    }

    @Test func multiLineLiteralString() throws {
        let text =
            "v = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved. \\n\n'''"
        #expect(
            try TOMLTable(parsing: text)["v"]
                == .string(
                    "The first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved. \\n\n"))
        #expect(try value("'''I [dw]on't need \\d{2} apples'''") == .string("I [dw]on't need \\d{2} apples"))
        #expect(
            try value("''''That,' she said, 'is still pointless.'''''")
                == .string("'That,' she said, 'is still pointless.''"))
    }

    @Test func backslashBeforeNonNewlineInMultiLineIsAnEscape() throws {
        #expect(try value(#""""a\\ b""""#) == .string(#"a\ b"#))
    }
}

@Suite struct IntegerTests {
    @Test(
        arguments: [
            ("+99", 99), ("42", 42), ("0", 0), ("-17", -17), ("+0", 0), ("-0", 0), ("1_000", 1000),
            ("5_349_221", 5_349_221), ("53_49_221", 5_349_221), ("1_2_3_4_5", 12345),
            ("0xDEADBEEF", 0xDEAD_BEEF), ("0xdeadbeef", 0xDEAD_BEEF), ("0xdead_beef", 0xDEAD_BEEF),
            ("0o01234567", 0o1234567), ("0o755", 0o755), ("0b11010110", 0b1101_0110), ("0b1101_0110", 0b1101_0110),
            ("0x00", 0), ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min),
            ("0x7FFFFFFFFFFFFFFF", Int64.max), ("0b" + String(repeating: "1", count: 63), Int64.max),
        ] as [(String, Int64)])
    func integer(literal: String, expected: Int64) throws {
        #expect(try value(literal) == .integer(expected))
    }
}

@Suite struct FloatTests {
    @Test(
        arguments: [
            ("+1.0", 1.0), ("3.1415", 3.1415), ("-0.01", -0.01), ("5e+22", 5e+22), ("1e06", 1e06), ("-2E-2", -2E-2),
            ("6.626e-34", 6.626e-34), ("224_617.445_991_228", 224_617.445_991_228), ("0.0", 0), ("0e0", 0),
            ("1e1_0", 1e10), ("9_007_199_254_740_993.0", 9_007_199_254_740_993.0), ("inf", .infinity),
            ("+inf", .infinity), ("-inf", -.infinity),
        ] as [(String, Double)])
    func float(literal: String, expected: Double) throws {
        #expect(try value(literal) == .float(expected))
    }

    @Test func negativeZeroKeepsItsSign() throws {
        guard case .float(let zero) = try value("-0.0") else {
            Issue.record("not a float")
            return
        }
        #expect(zero == 0 && zero.sign == .minus)
    }

    @Test(arguments: ["nan", "+nan", "-nan"])
    func notANumber(literal: String) throws {
        guard case .float(let number) = try value(literal) else {
            Issue.record("not a float")
            return
        }
        #expect(number.isNaN)
    }
}

@Suite struct BooleanArrayAndInlineTableTests {
    @Test func booleans() throws {
        let table = try TOMLTable(parsing: "t = true\nf = false")
        #expect(table["t"] == .boolean(true))
        #expect(table["f"] == .boolean(false))
    }

    @Test func arraysOfEveryShape() throws {
        let text = """
            integers = [ 1, 2, 3 ]
            colors = [ "red", "yellow", "green" ]
            nested_arrays_of_ints = [ [ 1, 2 ], [3, 4, 5] ]
            nested_mixed_array = [ [ 1, 2 ], ["a", "b", "c"] ]
            string_array = [ "all", 'strings', \"""are the same\""", '''type''' ]
            numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]
            contributors = [
              "Foo Bar <foo@example.com>",
              { name = "Baz Qux", email = "bazqux@example.com", url = "https://example.com/bazqux" }
            ]
            empty = []
            empty_spaced = [ ]
            brackets = [ "]", "[", ",", "#" ]
            trailing = [
              1,   # one
              2,   # two
            ]
            commented = [ # start
              # only a comment
              1 # after
              , 2
              # before end
            ]
            """
        let table = try TOMLTable(parsing: text)
        #expect(table["integers"] == [1, 2, 3])
        #expect(table["colors"] == ["red", "yellow", "green"])
        #expect(table["nested_arrays_of_ints"] == [[1, 2], [3, 4, 5]])
        #expect(table["nested_mixed_array"] == [[1, 2], ["a", "b", "c"]])
        #expect(table["string_array"] == ["all", "strings", "are the same", "type"])
        #expect(table["numbers"] == [0.1, 0.2, 0.5, 1, 2, 5])
        #expect(
            table["contributors"] == [
                "Foo Bar <foo@example.com>",
                ["name": "Baz Qux", "email": "bazqux@example.com", "url": "https://example.com/bazqux"],
            ])
        #expect(table["empty"] == [])
        #expect(table["empty_spaced"] == [])
        #expect(table["brackets"] == ["]", "[", ",", "#"])
        #expect(table["trailing"] == [1, 2])
        #expect(table["commented"] == [1, 2])
        #expect(table["numbers"] != [0.1, 0.2, 0.5, 1.0, 2.0, 5.0], "integers and floats stay distinct")
    }

    @Test func inlineTables() throws {
        let text = """
            name = { first = "Tom", last = "Preston-Werner" }
            point = {x=1,y=2}
            animal = { type.name = "pug", type.size = "small" }
            empty = {}
            nested = { a = { b = { c = [1, { d = true }] } } }
            """
        let table = try TOMLTable(parsing: text)
        #expect(table["name"] == ["first": "Tom", "last": "Preston-Werner"])
        #expect(table["point"] == ["x": 1, "y": 2])
        #expect(table["animal"] == ["type": ["name": "pug", "size": "small"]])
        #expect(table["empty"] == .table(TOMLTable()))
        #expect(table["nested"] == ["a": ["b": ["c": [1, ["d": true]]]]])
    }
}
