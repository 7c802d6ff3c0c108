/// What a proof attests, e.g. `mentoring_session` or `purchase`: lowercase `[a-z0-9_]{1,64}`.
public struct ProofKind: Hashable, Sendable, CustomStringConvertible {
    /// The kind's name.
    public let name: String

    /// Validates `name`; throws `invalid_kind` unless it is `[a-z0-9_]{1,64}`.
    public init(_ name: String) throws(ProofError) {
        guard Identifier.isValid(name) else {
            throw ProofError(.invalidKind, "kind must be [a-z0-9_]{1,64}")
        }
        self.name = name
    }

    private init(validName: String) {
        name = validName
    }

    /// A completed mentoring session.
    public static let mentoringSession = ProofKind(validName: "mentoring_session")
    /// A proof of purchase.
    public static let purchase = ProofKind(validName: "purchase")

    public var description: String { name }
}

/// The identifier syntax shared by kinds and field names.
enum Identifier {
    /// Whether `text` is 1 to 64 characters from `a-z`, `0-9` and `_`.
    static func isValid(_ text: String) -> Bool {
        let utf8 = text.utf8
        return (1...64).contains(utf8.count)
            && utf8.allSatisfy { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5f }
    }
}
