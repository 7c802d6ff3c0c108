/// A failure reported by, or while talking to, a Lightning backend. The description never carries
/// credentials (macaroons, API keys) or preimages.
public struct BackendError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, as a stable name.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable name, e.g. `unavailable`.
        public let name: String

        /// The backend cannot be reached (connection refused, TLS failure, not running).
        public static let unavailable = Code(name: "unavailable")
        /// The backend did not answer before the deadline.
        public static let timeout = Code(name: "timeout")
        /// The backend refused our credentials (macaroon, API key).
        public static let unauthorized = Code(name: "unauthorized")
        /// The backend runs on another network than configured.
        public static let networkMismatch = Code(name: "network_mismatch")
        /// The backend knows no invoice or payment with that hash.
        public static let notFound = Code(name: "not_found")
        /// The invoice was already paid.
        public static let alreadyPaid = Code(name: "already_paid")
        /// A payment to that hash is already in flight.
        public static let inFlight = Code(name: "in_flight")
        /// The invoice was issued by this very node.
        public static let selfPayment = Code(name: "self_payment")
        /// The operation is not supported by this backend.
        public static let unsupported = Code(name: "unsupported")
        /// The backend rejected the request as invalid (bad invoice, bad amount).
        public static let invalidRequest = Code(name: "invalid_request")
        /// Anything else the backend reported.
        public static let failure = Code(name: "failure")

        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// A sentence for logs and error messages; never a secret.
    public let detail: String

    /// Creates an error.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "backend \(code.name): \(detail)" }
}
