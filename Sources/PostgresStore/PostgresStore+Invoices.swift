import Lightning
import PostgresNIO
import StoreModel

extension PostgresStore {
    /// Stores a new invoice. A label already used with the same request fingerprint returns the stored invoice;
    /// with another fingerprint it throws `labelConflict` (also when another instance takes the label meanwhile).
    package func createInvoice(_ record: InvoiceRecord) async throws(StoreError) -> InvoiceInsertion {
        try await write("create invoice", writesOnce: true) { [logger] connection in
            let inserted = try await connection.preparedRows(
                """
                INSERT INTO invoices (payment_hash, bolt11, label, amount_msat, description, description_hash,
                    expiry_s, status, created_at, expires_at, preimage, metadata, request_fingerprint, fiat, account)
                VALUES (\(record.paymentHash.hex), \(record.bolt11), \(record.label), \(record.amount?.rawValue),
                    \(record.description), \(record.descriptionHash), \(record.expirySeconds),
                    \(record.status.rawValue), \(record.createdAt), \(record.expiresAt), \(record.preimage?.hex),
                    \(record.metadata), \(record.requestFingerprint), \(record.fiat), \(record.account))
                ON CONFLICT (label) DO NOTHING RETURNING payment_hash
                """, logger)
            if !inserted.isEmpty { return .created(record) }
            guard let label = record.label,
                let stored = try await connection.rows("SELECT * FROM invoices WHERE label = \(label)", logger).first
                    .map(InvoiceRecord.init(row:)),
                stored.requestFingerprint == record.requestFingerprint
            else { throw StoreError(.labelConflict, "label is used by an invoice with other parameters") }
            return .existing(stored)
        }
    }

    /// The invoice with this payment hash.
    package func invoice(paymentHash: PaymentHash) async throws(StoreError) -> InvoiceRecord? {
        try await onConnection("read invoice") { connection in
            try await connection.preparedRows("SELECT * FROM invoices WHERE payment_hash = \(paymentHash.hex)", logger)
                .first
                .map(InvoiceRecord.init(row:))
        }
    }

    /// The invoice with this label.
    package func invoice(label: String) async throws(StoreError) -> InvoiceRecord? {
        try await onConnection("read invoice") { connection in
            try await connection.rows("SELECT * FROM invoices WHERE label = \(label)", logger).first
                .map(InvoiceRecord.init(row:))
        }
    }

    /// Invoices newest first, optionally of one status.
    package func invoices(
        status: InvoiceStatus?, account: String?, limit: Int, cursor: String?
    ) async throws(StoreError) -> Page<InvoiceRecord> {
        try await onConnection("list invoices") { connection in
            let rows = try await connection.newestFirst(
                "invoices", status: status?.rawValue, account: account, limit: limit, cursor: cursor, logger)
            return try Page.of(rows, limit: limit, InvoiceRecord.init(row:))
        }
    }

    /// Marks an invoice paid (from `open`, or `expired` when settled late) with its event; `nil` when it was
    /// already paid or canceled. Two instances settling one invoice at once: the row lock makes one of them win.
    package func markInvoicePaid(
        _ paymentHash: PaymentHash, amountReceived: MilliSatoshi, preimage: Preimage, paidAt: Int64,
        settleIndex: Int64?, event: @escaping @Sendable (InvoiceRecord) -> NewEvent
    ) async throws(StoreError) -> (InvoiceRecord, EventRecord)? {
        try await indexingEvent(
            write("mark invoice paid") { [logger] connection in
                guard
                    let row = try await connection.preparedRows(
                        """
                        UPDATE invoices SET status = 'paid', paid_at = \(paidAt),
                            amount_received_msat = \(amountReceived.rawValue), preimage = \(preimage.hex),
                            settle_index = \(settleIndex)
                        WHERE payment_hash = \(paymentHash.hex) AND status IN ('open', 'expired') RETURNING *
                        """, logger
                    ).first
                else { return nil }
                let record = try InvoiceRecord(row: row)
                try await Journal.post(
                    .invoice, at: paidAt, paymentHash: paymentHash, transferID: nil,
                    [(AccountRecord.node, -amountReceived.rawValue), (record.account, amountReceived.rawValue)],
                    on: connection, logger)
                return (record, try await EventOutbox.insert(event(record), on: connection, logger))
            })
    }

    /// Moves an `open` invoice to `expired` or `canceled` with its event; `nil` when it was not open.
    package func closeInvoice(
        _ paymentHash: PaymentHash, as status: InvoiceStatus, event: @escaping @Sendable (InvoiceRecord) -> NewEvent
    ) async throws(StoreError) -> (InvoiceRecord, EventRecord)? {
        precondition(status == .expired || status == .canceled)
        return try await indexingEvent(
            write("close invoice") { [logger] connection in
                guard
                    let row = try await connection.rows(
                        """
                        UPDATE invoices SET status = \(status.rawValue)
                        WHERE payment_hash = \(paymentHash.hex) AND status = 'open' RETURNING *
                        """, logger
                    ).first
                else { return nil }
                let record = try InvoiceRecord(row: row)
                return (record, try await EventOutbox.insert(event(record), on: connection, logger))
            })
    }

    /// Open invoices whose expiry is at or before `now`.
    package func expiredOpenInvoices(now: Int64) async throws(StoreError) -> [PaymentHash] {
        try await onConnection("find expired invoices") { connection in
            try await connection.rows(
                "SELECT payment_hash FROM invoices WHERE status = 'open' AND expires_at <= \(now)", logger
            ).compactMap { PaymentHash(hex: try $0.requiredText("payment_hash")) }
        }
    }

    /// The earliest expiry among open invoices.
    package func nextInvoiceExpiry() async throws(StoreError) -> Int64? {
        try await onConnection("find next expiry") { connection in
            try await connection.rows("SELECT min(expires_at) AS next FROM invoices WHERE status = 'open'", logger)
                .first?.integer("next")
        }
    }
}
