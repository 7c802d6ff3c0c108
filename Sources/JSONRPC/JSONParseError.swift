/// Why a byte sequence is not an acceptable JSON text, and where parsing stopped.
public struct JSONParseError: Error, Hashable, Sendable {
    /// A broad classification of the failure.
    public var code: Code

    /// The byte offset in the input at which the problem was found.
    public var offset: Int

    /// Creates an error with `code` found at byte `offset`.
    public init(code: Code, offset: Int) {
        self.code = code
        self.offset = offset
    }

    /// What kind of problem the parser found.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case unexpectedEnd = "unexpected end of input"
            case unexpectedByte = "unexpected byte"
            case trailingData = "data after the JSON text"
            case invalidUTF8 = "invalid UTF-8"
            case controlCharacter = "unescaped control character in string"
            case invalidEscape = "invalid escape sequence"
            case loneSurrogate = "lone UTF-16 surrogate in \\u escape"
            case invalidNumber = "invalid number"
            case numberOutOfRange = "number out of range"
            case depthLimitExceeded = "nesting deeper than the limit"
            case duplicateKey = "duplicate object key"
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) {
            self.wrapped = wrapped
        }

        public var description: String { wrapped.rawValue }

        /// The input ended inside a value.
        public static var unexpectedEnd: Self { Self(.unexpectedEnd) }
        /// A byte that cannot start or continue the value at this point.
        public static var unexpectedByte: Self { Self(.unexpectedByte) }
        /// Something other than whitespace follows the JSON text.
        public static var trailingData: Self { Self(.trailingData) }
        /// A string contains bytes that are not well-formed UTF-8.
        public static var invalidUTF8: Self { Self(.invalidUTF8) }
        /// A string contains a raw byte below 0x20.
        public static var controlCharacter: Self { Self(.controlCharacter) }
        /// A backslash escape that RFC 8259 does not define.
        public static var invalidEscape: Self { Self(.invalidEscape) }
        /// A `\u` escape names half of a surrogate pair without the other half.
        public static var loneSurrogate: Self { Self(.loneSurrogate) }
        /// A number that does not follow the RFC 8259 grammar.
        public static var invalidNumber: Self { Self(.invalidNumber) }
        /// A number too large in magnitude for a finite `Double`.
        public static var numberOutOfRange: Self { Self(.numberOutOfRange) }
        /// Arrays and objects nest deeper than ``JSONParseLimits/maxDepth``.
        public static var depthLimitExceeded: Self { Self(.depthLimitExceeded) }
        /// An object names the same key twice.
        public static var duplicateKey: Self { Self(.duplicateKey) }
    }
}

extension JSONParseError: CustomStringConvertible {
    public var description: String {
        "invalid JSON: \(code) at byte \(offset)"
    }
}
