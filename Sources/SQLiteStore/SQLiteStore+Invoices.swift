import GRDB
import Lightning
import StoreModel

extension SQLiteStore {
    /// Stores a new invoice. A label already used with the same request fingerprint returns the stored invoice;
    /// with another fingerprint it throws `labelConflict`.
    public func createInvoice(_ record: InvoiceRecord) async throws(StoreError) -> InvoiceInsertion {
        try await write("create invoice") { database in
            if let label = record.label,
                let existing = try Row.fetchOne(
                    database, sql: "SELECT * FROM invoices WHERE label = ?", arguments: [label])
            {
                let stored = try InvoiceRecord(row: existing)
                guard stored.requestFingerprint == record.requestFingerprint else {
                    throw StoreError(.labelConflict, "label is used by an invoice with other parameters")
                }
                return .existing(stored)
            }
            try database.execute(
                sql: """
                    INSERT INTO invoices (payment_hash, bolt11, label, amount_msat, description, description_hash,
                        expiry_s, status, created_at, expires_at, preimage, metadata, request_fingerprint, fiat, account)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.paymentHash.hex, record.bolt11, record.label, record.amount?.rawValue,
                    record.description, record.descriptionHash, record.expirySeconds, record.status.rawValue,
                    record.createdAt, record.expiresAt, record.preimage?.hex, record.metadata,
                    record.requestFingerprint, record.fiat, record.account,
                ])
            return .created(record)
        }
    }

    /// The invoice with this payment hash.
    public func invoice(paymentHash: PaymentHash) async throws(StoreError) -> InvoiceRecord? {
        try await fetchInvoice(sql: "SELECT * FROM invoices WHERE payment_hash = ?", paymentHash.hex)
    }

    /// The invoice with this label.
    public func invoice(label: String) async throws(StoreError) -> InvoiceRecord? {
        try await fetchInvoice(sql: "SELECT * FROM invoices WHERE label = ?", label)
    }

    private func fetchInvoice(sql: String, _ key: String) async throws(StoreError) -> InvoiceRecord? {
        try await read("read invoice") { database in
            try Row.fetchOne(database, sql: sql, arguments: [key]).map(InvoiceRecord.init(row:))
        }
    }

    /// Invoices newest first, optionally of one status and one account; `cursor` comes from the previous page.
    public func invoices(status: InvoiceStatus?, account: String?, limit: Int, cursor: String?)
        async throws(StoreError) -> Page<InvoiceRecord>
    {
        try await read("list invoices") { database in
            let rows = try Self.newestFirst(
                "invoices", status: status?.rawValue, account: account, limit: limit, cursor: cursor, database)
            return try Page.of(rows, limit: limit, InvoiceRecord.init(row:))
        }
    }

    /// Marks an invoice paid (from `open`, or from `expired` when the backend settled it late) and appends
    /// `event` in the same transaction. Returns the updated record and the event, or `nil` when it was already
    /// paid or canceled (nothing changes: settlements are idempotent).
    public func markInvoicePaid(
        _ paymentHash: PaymentHash, amountReceived: MilliSatoshi, preimage: Preimage, paidAt: Int64,
        settleIndex: Int64?, event: @escaping @Sendable (InvoiceRecord) -> NewEvent
    ) async throws(StoreError) -> (InvoiceRecord, EventRecord)? {
        try await write("mark invoice paid") { database in
            try database.execute(
                sql: """
                    UPDATE invoices SET status = 'paid', paid_at = ?, amount_received_msat = ?, preimage = ?,
                        settle_index = ?
                    WHERE payment_hash = ? AND status IN ('open', 'expired')
                    """,
                arguments: [paidAt, amountReceived.rawValue, preimage.hex, settleIndex, paymentHash.hex])
            guard database.changesCount == 1,
                let row = try Row.fetchOne(
                    database, sql: "SELECT * FROM invoices WHERE payment_hash = ?", arguments: [paymentHash.hex])
            else { return nil }
            let record = try InvoiceRecord(row: row)
            try Self.post(
                .invoice, at: paidAt, paymentHash: paymentHash, transferID: nil,
                [(AccountRecord.node, -amountReceived.rawValue), (record.account, amountReceived.rawValue)],
                in: database)
            return (record, try Self.insertEvent(event(record), in: database))
        }
    }

    /// Moves an `open` invoice to `expired` or `canceled` with its event; `nil` when it was not open.
    public func closeInvoice(
        _ paymentHash: PaymentHash, as status: InvoiceStatus, event: @escaping @Sendable (InvoiceRecord) -> NewEvent
    ) async throws(StoreError) -> (InvoiceRecord, EventRecord)? {
        precondition(status == .expired || status == .canceled)
        return try await write("close invoice") { database in
            try database.execute(
                sql: "UPDATE invoices SET status = ? WHERE payment_hash = ? AND status = 'open'",
                arguments: [status.rawValue, paymentHash.hex])
            guard database.changesCount == 1,
                let row = try Row.fetchOne(
                    database, sql: "SELECT * FROM invoices WHERE payment_hash = ?", arguments: [paymentHash.hex])
            else { return nil }
            let record = try InvoiceRecord(row: row)
            return (record, try Self.insertEvent(event(record), in: database))
        }
    }

    /// Open invoices whose expiry is at or before `now`.
    public func expiredOpenInvoices(now: Int64) async throws(StoreError) -> [PaymentHash] {
        try await read("find expired invoices") { database in
            try String.fetchAll(
                database, sql: "SELECT payment_hash FROM invoices WHERE status = 'open' AND expires_at <= ?",
                arguments: [now]
            ).compactMap(PaymentHash.init(hex:))
        }
    }

    /// The earliest expiry among open invoices, to schedule the next expiry sweep.
    public func nextInvoiceExpiry() async throws(StoreError) -> Int64? {
        try await read("find next expiry") {
            try Int64.fetchOne($0, sql: "SELECT min(expires_at) FROM invoices WHERE status = 'open'")
        }
    }
}
