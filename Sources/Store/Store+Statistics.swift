import GRDB

/// How many records are in each status, for the `t4gd_invoices`, `t4gd_payments` and `t4gd_proofs` gauges.
public struct StatusCounts: Sendable, Equatable {
    /// Invoices by status (`open`, `paid`, `expired`, `canceled`); statuses with none are absent.
    public var invoices: [String: Int64] = [:]
    /// Payments by status (`pending`, `succeeded`, `failed`).
    public var payments: [String: Int64] = [:]
    /// Proofs by status (`active`, `transfer_pending`).
    public var proofs: [String: Int64] = [:]
}

extension Store {
    /// Counts invoices, payments and proofs by status, in one read transaction.
    public func statusCounts() throws(StoreError) -> StatusCounts {
        try perform("count by status") {
            try database.read { database in
                func counts(_ table: String) throws -> [String: Int64] {
                    let rows = try Row.fetchAll(database, sql: "SELECT status, count(*) FROM \(table) GROUP BY status")
                    return Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[1]) })
                }
                return StatusCounts(
                    invoices: try counts("invoices"), payments: try counts("payments"), proofs: try counts("proofs"))
            }
        }
    }
}
