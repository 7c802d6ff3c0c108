import TOML
import Testing

/// A document that must fail to parse, with the error it must raise.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let code: TOMLError.Code
    let line: Int
    let column: Int

    init(_ name: String, _ text: String, _ code: TOMLError.Code, line: Int, column: Int) {
        self.name = name
        self.text = text
        self.code = code
        self.line = line
        self.column = column
    }

    var testDescription: String { name }
}

private let cases: [ErrorCase] = [
    // Duplicate keys and table redefinition.
    ErrorCase("duplicate key", "a = 1\na = 2", .duplicateKey, line: 2, column: 1),
    ErrorCase("duplicate quoted key", "a = 1\n\"a\" = 2", .duplicateKey, line: 2, column: 1),
    ErrorCase("duplicate dotted key", "a.b = 1\na.b = 2", .duplicateKey, line: 2, column: 3),
    ErrorCase("duplicate key in section", "[s]\nx = 1\n  x = 2", .duplicateKey, line: 3, column: 3),
    ErrorCase("duplicate key in inline table", "t = { a = 1, a = 2 }", .duplicateKey, line: 1, column: 14),
    ErrorCase("value then table header", "a = 1\n[a]", .duplicateKey, line: 2, column: 2),
    ErrorCase("value then dotted key", "a = 1\na.b = 2", .duplicateKey, line: 2, column: 1),
    ErrorCase("header then key with its name", "[a.b]\n[a]\nb = 1", .duplicateKey, line: 3, column: 1),
    ErrorCase("table defined twice", "[a]\nx = 1\n[a]", .tableRedefinition, line: 3, column: 2),
    ErrorCase("sub-table defined twice", "[a.b]\n[a]\n[a.b]", .tableRedefinition, line: 3, column: 4),
    ErrorCase("header over dotted-key table", "[a]\nb.c = 1\n[a.b]", .tableRedefinition, line: 3, column: 4),
    ErrorCase("header over root dotted-key table", "a.b = 1\n[a]", .tableRedefinition, line: 2, column: 2),
    ErrorCase("dotted key into header table", "[a.b.c]\nz = 9\n[a]\nb.c.t = 1", .tableRedefinition, line: 4, column: 1),
    ErrorCase("header extends inline table", "a = { x = 1 }\n[a]", .tableRedefinition, line: 2, column: 2),
    ErrorCase("header under inline table", "a = { x = 1 }\n[a.b]", .tableRedefinition, line: 2, column: 2),
    ErrorCase("dotted key extends inline table", "a = { x = 1 }\na.y = 2", .tableRedefinition, line: 2, column: 1),
    ErrorCase("array of tables over static array", "a = [1]\n[[a]]", .tableRedefinition, line: 2, column: 3),
    ErrorCase("array of tables over table", "[a]\n[[a]]", .tableRedefinition, line: 2, column: 3),
    ErrorCase("table over array of tables", "[[a]]\n[a]", .tableRedefinition, line: 2, column: 2),
    ErrorCase("dotted key into array of tables", "[[a.b]]\n[a]\nb.c = 1", .tableRedefinition, line: 3, column: 1),
    // Strings.
    ErrorCase("unknown escape", #"s = "ab\qc""#, .invalidEscape, line: 1, column: 8),
    ErrorCase("TOML 1.1 escape", #"s = "\e""#, .invalidEscape, line: 1, column: 6),
    ErrorCase("short unicode escape", #"s = "\u12""#, .invalidEscape, line: 1, column: 6),
    ErrorCase("surrogate escape", #"s = "x\uD800""#, .invalidEscape, line: 1, column: 7),
    ErrorCase("escape beyond Unicode", #"s = "\U00110000""#, .invalidEscape, line: 1, column: 6),
    ErrorCase("escape in multi-line string", "s = \"\"\"\nok\n  \\x41\"\"\"", .invalidEscape, line: 3, column: 3),
    ErrorCase("escape in quoted key", #""a\q" = 1"#, .invalidEscape, line: 1, column: 3),
    ErrorCase("column counts characters", "s = \"é😀\\q\"", .invalidEscape, line: 1, column: 8),
    ErrorCase("unterminated basic string", "s = \"abc\nt = 1", .unterminatedString, line: 1, column: 5),
    ErrorCase("unterminated at end", "s = \"abc", .unterminatedString, line: 1, column: 5),
    ErrorCase("unterminated after backslash", "s = \"abc\\", .unterminatedString, line: 1, column: 5),
    ErrorCase("unterminated literal string", "\n s = 'abc\n", .unterminatedString, line: 2, column: 6),
    ErrorCase("unterminated multi-line string", "s = \"\"\"abc\n\ndef", .unterminatedString, line: 1, column: 5),
    ErrorCase("unterminated multi-line literal", "s = '''abc''", .unterminatedString, line: 1, column: 5),
    ErrorCase("six closing quotes", "s = \"\"\"a\"\"\"\"\"\"", .unexpectedCharacter, line: 1, column: 14),
    ErrorCase("control character in string", "s = \"a\u{01}b\"", .invalidCharacter, line: 1, column: 7),
    ErrorCase("delete character in literal", "s = 'a\u{7F}'", .invalidCharacter, line: 1, column: 7),
    ErrorCase("control character in comment", "a = 1 # x\u{00}", .invalidCharacter, line: 1, column: 10),
    ErrorCase("lone carriage return", "a = 1\rb = 2", .invalidCharacter, line: 1, column: 6),
    ErrorCase("lone carriage return in multi-line", "s = '''a\rb'''", .invalidCharacter, line: 1, column: 9),
    ErrorCase("multi-line string as key", "\"\"\"k\"\"\" = 1", .unexpectedCharacter, line: 1, column: 1),
    // Numbers.
    ErrorCase("leading zero", "n = 01", .invalidNumber, line: 1, column: 5),
    ErrorCase("leading zero with sign", "n = -00", .invalidNumber, line: 1, column: 6),
    ErrorCase("leading zero in float", "n = 03.14", .invalidNumber, line: 1, column: 5),
    ErrorCase("double underscore", "n = 1__0", .invalidNumber, line: 1, column: 6),
    ErrorCase("trailing underscore", "n = 1_", .invalidNumber, line: 1, column: 6),
    ErrorCase("underscore after prefix", "n = 0x_1", .invalidNumber, line: 1, column: 7),
    ErrorCase("underscore before dot", "n = 1_.5", .invalidNumber, line: 1, column: 6),
    ErrorCase("prefix without digits", "n = 0x", .invalidNumber, line: 1, column: 7),
    ErrorCase("sign before prefix", "n = +0x10", .invalidNumber, line: 1, column: 5),
    ErrorCase("octal digit 8", "n = 0o8", .invalidNumber, line: 1, column: 7),
    ErrorCase("binary digit 2", "n = 0b102", .invalidNumber, line: 1, column: 9),
    ErrorCase("capital prefix", "n = 0X1F", .invalidNumber, line: 1, column: 6),
    ErrorCase("letter after digits", "n = 12a", .invalidNumber, line: 1, column: 7),
    ErrorCase("dot without fraction", "n = 1.", .invalidNumber, line: 1, column: 7),
    ErrorCase("dot before exponent", "n = 1.e5", .invalidNumber, line: 1, column: 7),
    ErrorCase("exponent without digits", "n = 1e", .invalidNumber, line: 1, column: 7),
    ErrorCase("double sign", "n = ++1", .invalidNumber, line: 1, column: 6),
    ErrorCase("two dots", "n = 1.2.3", .invalidNumber, line: 1, column: 8),
    ErrorCase("integer overflow", "n = 9223372036854775808", .numberOutOfRange, line: 1, column: 5),
    ErrorCase("negative overflow", "n = -9223372036854775809", .numberOutOfRange, line: 1, column: 5),
    ErrorCase("hex overflow", "\nn = 0x8000000000000000", .numberOutOfRange, line: 2, column: 5),
    ErrorCase("float overflow", "n = 1e400", .numberOutOfRange, line: 1, column: 5),
    // Unsupported values.
    ErrorCase("offset date-time", "d = 1979-05-27T07:32:00Z", .unsupportedValue, line: 1, column: 5),
    ErrorCase("local date-time with space", "d = 1979-05-27 07:32:00", .unsupportedValue, line: 1, column: 5),
    ErrorCase("local date", "[a]\nd = 1979-05-27", .unsupportedValue, line: 2, column: 5),
    ErrorCase("local time", "t = [07:32:00]", .unsupportedValue, line: 1, column: 6),
    // Structure.
    ErrorCase("missing value", "a =", .unexpectedEnd, line: 1, column: 4),
    ErrorCase("missing value before newline", "a =\nb = 1", .unexpectedCharacter, line: 1, column: 4),
    ErrorCase("bad value", "a = @", .unexpectedCharacter, line: 1, column: 5),
    ErrorCase("bare word value", "a = yes", .unexpectedCharacter, line: 1, column: 5),
    ErrorCase("capitalized boolean", "a = True", .unexpectedCharacter, line: 1, column: 5),
    ErrorCase("two values on a line", "a = 1 # ok\nb = \"x\" y", .unexpectedCharacter, line: 2, column: 9),
    ErrorCase("two key-values on a line", "a = 1 b = 2", .unexpectedCharacter, line: 1, column: 7),
    ErrorCase("missing key", "= 1", .unexpectedCharacter, line: 1, column: 1),
    ErrorCase("missing equals", "a b = 1", .unexpectedCharacter, line: 1, column: 3),
    ErrorCase("key at end", "key", .unexpectedEnd, line: 1, column: 4),
    ErrorCase("newline before equals", "a\n= 1", .unexpectedCharacter, line: 1, column: 2),
    ErrorCase("empty bare key segment", "a. = 1", .unexpectedCharacter, line: 1, column: 4),
    ErrorCase("unicode bare key", "ké = 1", .unexpectedCharacter, line: 1, column: 2),
    ErrorCase("unclosed header", "[a", .unexpectedEnd, line: 1, column: 3),
    ErrorCase("bad header close", "[a}\n", .unexpectedCharacter, line: 1, column: 3),
    ErrorCase("split array header close", "[[a] ]", .unexpectedCharacter, line: 1, column: 5),
    ErrorCase("empty header", "[]", .unexpectedCharacter, line: 1, column: 2),
    ErrorCase("text after header", "[a] b = 1", .unexpectedCharacter, line: 1, column: 5),
    ErrorCase("unclosed array", "a = [1, 2", .unexpectedEnd, line: 1, column: 5),
    ErrorCase("array missing comma", "a = [1 2]", .unexpectedCharacter, line: 1, column: 8),
    ErrorCase("array double comma", "a = [1,,2]", .unexpectedCharacter, line: 1, column: 8),
    ErrorCase("array leading comma", "a = [,]", .unexpectedCharacter, line: 1, column: 6),
    ErrorCase("unclosed inline table", "a = {x = 1", .unexpectedEnd, line: 1, column: 5),
    ErrorCase("inline table trailing comma", "a = {x = 1,}", .unexpectedCharacter, line: 1, column: 12),
    ErrorCase("inline table across lines", "a = {x = 1,\ny = 2}", .unexpectedCharacter, line: 1, column: 12),
    ErrorCase("inline table missing comma", "a = {x = 1 y = 2}", .unexpectedCharacter, line: 1, column: 12),
    ErrorCase("CRLF line counting", "a = 1\r\nb = 2\r\nb = 3\r\n", .duplicateKey, line: 3, column: 1),
    ErrorCase("byte order mark not counted", "\u{FEFF}a = @", .unexpectedCharacter, line: 1, column: 5),
    ErrorCase("deep arrays", "a = " + String(repeating: "[", count: 200), .nestingTooDeep, line: 1, column: 133),
]

@Suite struct ErrorTests {
    @Test(arguments: cases)
    func errorPointsAtLineAndColumn(_ errorCase: ErrorCase) {
        let error = parseFailure(errorCase.text)
        #expect(error?.code == errorCase.code)
        #expect(error?.line == errorCase.line)
        #expect(error?.column == errorCase.column)
    }

    @Test func errorsNameTheKeyAndNeverEchoTheValue() throws {
        let documents = [
            "[lnbits]\nadmin_key = \"s3cr3t-v4lue\\q\"",
            "[lnbits]\nadmin_key = \"s3cr3t-v4lue",
            "[lnbits]\nadmin_key = 's3cr3t-v4lue\u{01}'",
            "[lnbits]\nadmin_key = 123456789_s3cr3t",
            "[lnbits]\nadmin_key = 1234567890123456789012345",
            "[lnbits]\nadmin_key = [\"s3cr3t-v4lue\" \"x\"]",
        ]
        for document in documents {
            let error = try #require(parseFailure(document))
            #expect(error.description.contains("lnbits.admin_key"), "\(error)")
            #expect(error.keyPath?.hasPrefix("lnbits.admin_key") == true)
            #expect(!error.description.contains("s3cr3t"))
            #expect(!error.description.contains("123456789"))
        }
    }

    @Test func descriptionLeadsWithPosition() throws {
        let error = try #require(parseFailure("[server]\nport = 80\nport = 81"))
        #expect(error.description == "line 3, column 1: duplicate_key: key server.port is defined twice")
        #expect(error.keyPath == "server.port")
    }

    @Test func quotedKeysAreQuotedInMessages() throws {
        let error = try #require(parseFailure("[\"my table\"]\n'a.b' = 1\n'a.b' = 2"))
        #expect(error.keyPath == #""my table"."a.b""#)
    }

    @Test func arrayElementsAreNamedByIndex() throws {
        let error = try #require(parseFailure("roles = [1, 2, 0x]"))
        #expect(error.keyPath == "roles[2]")
        let inArrayOfTables = try #require(parseFailure("[[peer]]\n[[peer]]\nport = 1\nport = 2"))
        #expect(inArrayOfTables.keyPath == "peer[1].port")
    }

    @Test func invalidUTF8IsRefusedWithItsPosition() throws {
        let bytes: [UInt8] = Array("a = 1\ns = \"é".utf8) + [0xFF] + Array("\"".utf8)
        let error = try #require(parseFailure(bytes))
        #expect(error.code == .invalidUTF8)
        #expect(error.line == 2 && error.column == 7)
        for invalid: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            #expect(parseFailure(Array("s = \"".utf8) + invalid + [0x22])?.code == .invalidUTF8)
        }
        #expect(try TOMLTable(parsing: Array("s = \"€𝄞\"".utf8)) == ["s": "€𝄞"])
    }

    @Test func hostileNestingIsRefusedNotCrashed() {
        let deepArrays = "a = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parseFailure(deepArrays)?.code == .nestingTooDeep)
        let deepInline = "a = " + String(repeating: "{b=", count: 10_000)
        #expect(parseFailure(deepInline)?.code == .nestingTooDeep)
        let deepHeader = "[" + Array(repeating: "a", count: 10_000).joined(separator: ".") + "]"
        #expect(parseFailure(deepHeader)?.code == .nestingTooDeep)
        let deepDotted = Array(repeating: "a", count: 10_000).joined(separator: ".") + " = 1"
        #expect(parseFailure(deepDotted)?.code == .nestingTooDeep)
        let nestingAtLimit = "a = " + String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(parseFailure(nestingAtLimit) == nil)
    }
}
