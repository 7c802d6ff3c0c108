/// An error raised while parsing a TOML document or reading a typed value from a parsed table.
///
/// Parse errors carry the 1-based line and column of the offending character (columns count Unicode scalars).
/// The description names keys but never echoes a value, because configuration files hold secrets.
public struct TOMLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable machine-readable name.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, e.g. `duplicate_key`.
        public let name: String

        /// Creates a code; modules that build on this one may add their own.
        public init(name: String) {
            self.name = name
        }

        /// A character that cannot appear where it was found.
        public static let unexpectedCharacter = Code(name: "unexpected_character")
        /// The document ended in the middle of a key, value, header, array or inline table.
        public static let unexpectedEnd = Code(name: "unexpected_end")
        /// A key given a value twice, or a table's key reused for a value.
        public static let duplicateKey = Code(name: "duplicate_key")
        /// A table defined twice, extended after it was closed, or defined as two different kinds of thing.
        public static let tableRedefinition = Code(name: "table_redefinition")
        /// A backslash escape TOML 1.0 does not define, or a `\u` escape that is not a Unicode scalar value.
        public static let invalidEscape = Code(name: "invalid_escape")
        /// A string with no closing quote on its line (or, for multi-line strings, before the end).
        public static let unterminatedString = Code(name: "unterminated_string")
        /// A control character inside a string or comment, or a carriage return not followed by a line feed.
        public static let invalidCharacter = Code(name: "invalid_character")
        /// A malformed integer or float: a leading zero, a misplaced underscore, a bad digit.
        public static let invalidNumber = Code(name: "invalid_number")
        /// An integer outside the 64-bit signed range, or a float literal too large for a `Double`.
        public static let numberOutOfRange = Code(name: "number_out_of_range")
        /// A TOML value this parser does not support (offset and local dates and times).
        public static let unsupportedValue = Code(name: "unsupported_value")
        /// Arrays, inline tables and tables nested deeper than the parser allows.
        public static let nestingTooDeep = Code(name: "nesting_too_deep")
        /// Bytes given to the parser that are not valid UTF-8.
        public static let invalidUTF8 = Code(name: "invalid_utf8")
        /// A value read through the typed layer has another TOML type than the one asked for.
        public static let typeMismatch = Code(name: "type_mismatch")
        /// A key the typed layer requires is absent.
        public static let missingKey = Code(name: "missing_key")

        public var description: String { name }
    }

    /// The error's code.
    public let code: Code
    /// A human sentence with specifics (the key, what was expected), never a value from the document.
    public let detail: String
    /// The dotted key path the error is about (`lnd.rest_url`), when there is one.
    public let keyPath: String?
    /// The 1-based line of the offending character, for parse errors.
    public let line: Int?
    /// The 1-based column (in Unicode scalars) of the offending character, for parse errors.
    public let column: Int?

    /// Creates an error with a code, a detail sentence, and where known the key path and source position.
    public init(_ code: Code, _ detail: String, keyPath: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.detail = detail
        self.keyPath = keyPath
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = ""
        if let line, let column {
            text += "line \(line), column \(column): "
        }
        text += "\(code.name): \(detail)"
        return text
    }
}
