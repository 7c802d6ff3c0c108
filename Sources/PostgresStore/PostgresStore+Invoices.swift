import JSONRPC
import Lightning
import PostgresNIO
import StoreModel

extension PostgresStore {
    /// Stores a new invoice. A label already used with the same request fingerprint returns the stored invoice;
    /// with another fingerprint it throws `labelConflict` (also when another instance takes the label meanwhile).
    /// Concurrent invoices are inserted by one statement (``InvoiceInsert``).
    package func createInvoice(_ record: InvoiceRecord) async throws(StoreError) -> InvoiceInsertion {
        try await write("create invoice", coalescing: InvoiceInsert(record: record))
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

/// The insert of one invoice, which runs in one statement with the invoice inserts next to it in a batch.
struct InvoiceInsert: PostgresCoalescedWrite {
    let record: InvoiceRecord

    /// Inserts every invoice of `inserts` whose label is free; an insert whose label is taken runs alone.
    static func runTogether(_ inserts: [InvoiceInsert], on connection: PostgresConnection, _ logger: Logger)
        async throws -> [InvoiceInsertion?]
    {
        let rows = JSONValue.array(
            inserts.map(\.record).map { record in
                .object([
                    "payment_hash": .string(record.paymentHash.hex), "bolt11": .string(record.bolt11),
                    "label": record.label.map(JSONValue.string) ?? .null,
                    "amount_msat": record.amount.map { .integer($0.rawValue) } ?? .null,
                    "description": record.description.map(JSONValue.string) ?? .null,
                    "description_hash": record.descriptionHash.map(JSONValue.string) ?? .null,
                    "expiry_s": .integer(record.expirySeconds), "status": .string(record.status.rawValue),
                    "created_at": .integer(record.createdAt), "expires_at": .integer(record.expiresAt),
                    "preimage": record.preimage.map { .string($0.hex) } ?? .null,
                    "metadata": record.metadata.map(JSONValue.string) ?? .null,
                    "request_fingerprint": .string(record.requestFingerprint),
                    "fiat": record.fiat.map(JSONValue.string) ?? .null, "account": .string(record.account),
                ])
            })
        let json = String(decoding: rows.serialized(), as: UTF8.self)
        // The rows travel as one JSON text (cast to text first: a prepared statement's parameter type is the one
        // PostgreSQL infers, and the value is sent as text).
        let inserted = Set(
            try await connection.preparedRows(
                """
                INSERT INTO invoices (payment_hash, bolt11, label, amount_msat, description, description_hash,
                    expiry_s, status, created_at, expires_at, preimage, metadata, request_fingerprint, fiat, account)
                SELECT payment_hash, bolt11, label, amount_msat, description, description_hash, expiry_s, status,
                    created_at, expires_at, preimage, metadata, request_fingerprint, fiat, account
                FROM jsonb_to_recordset(CAST(\(json)::text AS jsonb)) AS invoice (payment_hash text, bolt11 text,
                    label text, amount_msat bigint, description text, description_hash text, expiry_s bigint,
                    status text, created_at bigint, expires_at bigint, preimage text, metadata text,
                    request_fingerprint text, fiat text, account text)
                ON CONFLICT (label) DO NOTHING RETURNING payment_hash
                """, logger
            ).map { try $0.requiredText("payment_hash") })
        return inserts.map { inserted.contains($0.record.paymentHash.hex) ? .created($0.record) : nil }
    }

    /// Inserts the invoice on its own (the same statement, with one row), or finds the one its label names.
    func run(on connection: PostgresConnection, _ logger: Logger) async throws -> InvoiceInsertion {
        if let created = try await Self.runTogether([self], on: connection, logger).first ?? nil { return created }
        guard let label = record.label,
            let stored = try await connection.rows("SELECT * FROM invoices WHERE label = \(label)", logger).first
                .map(InvoiceRecord.init(row:)),
            stored.requestFingerprint == record.requestFingerprint
        else { throw StoreError(.labelConflict, "label is used by an invoice with other parameters") }
        return .existing(stored)
    }
}
