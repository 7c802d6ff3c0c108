import Lightning
import Logging
import PostgresNIO
import StoreModel

extension PostgresStore {
    /// Settles an invoice of this daemon with the pending payment of one of its accounts, in one transaction;
    /// see ``StoreEngine/settleInternally(_:preimage:at:events:)``. The payment row is locked first and the
    /// invoice moves only from `open`, so an instance recording a Lightning settlement of the same invoice at
    /// the same moment either waits and finds it paid, or wins and this call changes nothing.
    package func settleInternally(
        _ paymentHash: PaymentHash, preimage: Preimage, at now: Int64,
        events: @escaping @Sendable (InvoiceRecord, PaymentRecord) -> [NewEvent]
    ) async throws(StoreError) -> InternalSettlement? {
        let written: (InvoiceRecord, PaymentRecord, [EventOutbox.Pending])? = try await write("settle internally") {
            [logger] connection in
            let hash = paymentHash.hex
            guard
                let pendingRow = try await connection.rows(
                    "SELECT * FROM payments WHERE payment_hash = \(hash) AND status = 'pending' FOR UPDATE", logger
                ).first
            else { return nil }
            let amount = try PaymentRecord(row: pendingRow).amount.rawValue
            guard
                let invoiceRow = try await connection.rows(
                    """
                    UPDATE invoices SET status = 'paid', paid_at = \(now), amount_received_msat = \(amount),
                        preimage = \(preimage.hex)
                    WHERE payment_hash = \(hash) AND status = 'open' RETURNING *
                    """, logger
                ).first
            else { return nil }
            guard
                let paymentRow = try await connection.rows(
                    """
                    UPDATE payments SET status = 'succeeded', preimage = \(preimage.hex), fee_msat = 0,
                        completed_at = \(now)
                    WHERE payment_hash = \(hash) RETURNING *
                    """, logger
                ).first
            else { throw StoreError(.database, "locked payment row not updated") }
            try await connection.query(
                """
                UPDATE payment_attempts SET completed_at = \(now), outcome = 'succeeded'
                WHERE payment_hash = \(hash) AND completed_at IS NULL
                """, logger: logger)
            try await Journal.releaseHold(of: paymentHash, on: connection, logger)
            let invoice = try InvoiceRecord(row: invoiceRow)
            let payment = try PaymentRecord(row: paymentRow)
            let posted = try await Journal.post(
                .internal, at: now, paymentHash: paymentHash, transferID: nil,
                [(payment.account, -amount), (invoice.account, amount)], on: connection, logger)
            var pending = posted.events
            for event in events(invoice, payment) {
                pending.append(try await EventOutbox.insert(event, on: connection, logger))
            }
            return (invoice, payment, pending)
        }
        guard let (invoice, payment, pending) = written else { return nil }
        var appended: [EventRecord] = []
        for event in pending { appended.append(try await indexed(event)) }
        return InternalSettlement(invoice: invoice, payment: payment, events: appended)
    }
}
