/// One entry of the error catalog: a stable machine-readable name bound to a numeric code.
///
/// Every reason the daemon can return is a static member listed in ``all``; `docs/rpc-errors.md`
/// documents the same table and a test keeps the two identical. Two reasons are equal when their
/// names and codes are.
public struct RPCErrorReason: Sendable {
    /// The stable name clients match on, sent as `data.reason` (for example `invoice_not_found`).
    public let name: String
    /// The JSON-RPC error code.
    public let code: Int
    /// The area whose code band holds ``code``.
    public let area: RPCErrorArea
    /// The default human-readable message.
    public let message: String
    /// Fields this reason always adds to `data`, besides `reason` and `request_id`.
    public let dataFields: [String]
    /// When the daemon returns this error.
    public let summary: String

    init(name: String, code: Int, area: RPCErrorArea, message: String, dataFields: [String] = [], summary: String) {
        self.name = name
        self.code = code
        self.area = area
        self.message = message
        self.dataFields = dataFields
        self.summary = summary
    }

    /// A reason read from the wire that this catalog does not list.
    init(unlistedName name: String, code: Int, message: String) {
        self.init(name: name, code: code, area: RPCErrorArea(code: code) ?? .standard, message: message, summary: "")
    }

    /// Whether errors of this reason carry `data.retry_after_s`.
    public var carriesRetryAfter: Bool { dataFields.contains("retry_after_s") }

    /// The catalog entry named `name`, for names read from the wire (code uses the static members).
    public static func named(_ name: String) -> RPCErrorReason? {
        byName[name]
    }

    /// ``all`` by name.
    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}

extension RPCErrorReason: Hashable {
    public static func == (lhs: RPCErrorReason, rhs: RPCErrorReason) -> Bool {
        lhs.name == rhs.name && lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(code)
    }
}

extension RPCErrorReason: CustomStringConvertible {
    public var description: String { name }
}
