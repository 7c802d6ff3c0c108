import GRDB
import Lightning
import StoreModel

extension SQLiteStore {
    /// Settles an invoice of this daemon with the pending payment of one of its accounts, in one write
    /// transaction; see ``StoreEngine/settleInternally(_:preimage:at:events:)``.
    public func settleInternally(
        _ paymentHash: PaymentHash, preimage: Preimage, at now: Int64,
        events: @escaping @Sendable (InvoiceRecord, PaymentRecord) -> [NewEvent]
    ) async throws(StoreError) -> InternalSettlement? {
        try await write("settle internally") { database in
            let hash = paymentHash.hex
            guard
                let pendingRow = try Row.fetchOne(
                    database, sql: "SELECT * FROM payments WHERE payment_hash = ? AND status = 'pending'",
                    arguments: [hash]),
                try Bool.fetchOne(
                    database, sql: "SELECT 1 FROM invoices WHERE payment_hash = ? AND status = 'open'",
                    arguments: [hash]) != nil
            else { return nil }
            let amount = try PaymentRecord(row: pendingRow).amount.rawValue
            try database.execute(
                sql: """
                    UPDATE invoices SET status = 'paid', paid_at = ?, amount_received_msat = ?, preimage = ?
                    WHERE payment_hash = ?
                    """,
                arguments: [now, amount, preimage.hex, hash])
            try database.execute(
                sql: """
                    UPDATE payments SET status = 'succeeded', preimage = ?, fee_msat = 0, completed_at = ?
                    WHERE payment_hash = ?
                    """,
                arguments: [preimage.hex, now, hash])
            try database.execute(
                sql: """
                    UPDATE payment_attempts SET completed_at = ?, outcome = 'succeeded'
                    WHERE payment_hash = ? AND completed_at IS NULL
                    """,
                arguments: [now, hash])
            try Self.releaseHold(of: paymentHash, in: database)
            let invoice = try InvoiceRecord(row: try Self.row(of: "invoices", hash, in: database))
            let payment = try PaymentRecord(row: try Self.row(of: "payments", hash, in: database))
            let posted = try Self.post(
                .internal, at: now, paymentHash: paymentHash, transferID: nil,
                [(payment.account, -amount), (invoice.account, amount)], in: database)
            let appended = try events(invoice, payment).map { try Self.insertEvent($0, in: database) }
            return InternalSettlement(invoice: invoice, payment: payment, events: posted.events + appended)
        }
    }

    /// The row of `table` (`invoices` or `payments`) keyed by the payment hash `hash`, which the transaction wrote.
    private static func row(of table: String, _ hash: String, in database: Database) throws -> Row {
        guard
            let row = try Row.fetchOne(
                database, sql: "SELECT * FROM \(table) WHERE payment_hash = ?", arguments: [hash])
        else { throw StoreError(.corruptRow, "the settled \(table) row is gone") }
        return row
    }
}
