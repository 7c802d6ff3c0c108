/// The part of the interface an error code belongs to; each area owns a band of codes.
public enum RPCErrorArea: String, Hashable, Sendable, CaseIterable {
    /// The JSON-RPC 2.0 codes, -32768...-32000.
    case standard
    /// Transport and daemon limits, 100...199.
    case daemon
    /// Authorization, 200...299.
    case auth
    /// Invoices, 300...399.
    case invoice
    /// Outgoing payments, 400...499.
    case payment
    /// Proofs, 500...599.
    case proof
    /// The Lightning backend, 600...699.
    case backend
    /// Accounts and the ledger, 700...799.
    case accounts

    /// The codes this area may use.
    public var codes: ClosedRange<Int> {
        switch self {
        case .standard: -32768...(-32000)
        case .daemon: 100...199
        case .auth: 200...299
        case .invoice: 300...399
        case .payment: 400...499
        case .proof: 500...599
        case .backend: 600...699
        case .accounts: 700...799
        }
    }

    /// The area whose band contains `code`, if any.
    public init?(code: Int) {
        guard let area = Self.allCases.first(where: { $0.codes.contains(code) }) else { return nil }
        self = area
    }
}
