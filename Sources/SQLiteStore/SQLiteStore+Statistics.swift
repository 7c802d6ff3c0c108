import GRDB
import StoreModel

extension SQLiteStore {
    /// Counts invoices, payments and proofs by status, in one read transaction.
    public func statusCounts() async throws(StoreError) -> StatusCounts {
        try await read("count by status") { database in
            func counts(_ table: String) throws -> [String: Int64] {
                let rows = try Row.fetchAll(database, sql: "SELECT status, count(*) FROM \(table) GROUP BY status")
                return Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[1]) })
            }
            return StatusCounts(
                invoices: try counts("invoices"), payments: try counts("payments"), proofs: try counts("proofs"))
        }
    }
}
