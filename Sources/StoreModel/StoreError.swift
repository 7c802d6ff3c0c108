/// A failure of the store. Descriptions name the operation, never stored secrets.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable name.
        public let name: String

        /// The label is taken by an invoice created with other parameters.
        public static let labelConflict = Code(name: "label_conflict")
        /// The idempotency key was used for another payment hash.
        public static let idempotencyConflict = Code(name: "idempotency_conflict")
        /// A proof transition would spend a state another live transition already spends.
        public static let doubleTransfer = Code(name: "double_transfer")
        /// The proof changed between reading and writing it.
        public static let staleProof = Code(name: "stale_proof")
        /// The account id is taken by an account created with other parameters, or an account to close still
        /// has money, holds or open invoices.
        public static let accountConflict = Code(name: "account_conflict")
        /// No account has this id (an invoice, payment or transfer named one).
        public static let accountNotFound = Code(name: "account_not_found")
        /// The database cannot be opened, migrated, read or written.
        public static let database = Code(name: "database")
        /// A stored row does not decode (corruption or a bug).
        public static let corruptRow = Code(name: "corrupt_row")
        /// The store location (`store.url`) does not parse.
        public static let invalidLocation = Code(name: "invalid_location")
        /// The engine does not offer this operation (a SQLite backup of a PostgreSQL store).
        public static let unsupported = Code(name: "unsupported")
        /// A store copy differs from its source (`t4gctl store migrate`).
        public static let copyMismatch = Code(name: "copy_mismatch")
        /// Another live process sharing the store runs under this instance name.
        public static let instanceNameTaken = Code(name: "instance_name_taken")

        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// Which operation failed and why.
    public let detail: String

    /// Creates an error.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "store \(code.name): \(detail)" }
}
