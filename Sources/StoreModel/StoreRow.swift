import Lightning

/// A result row of either engine, read by column name; the records decode from it once for both engines.
package protocol StoreRow {
    /// The text in `column`, `nil` for NULL.
    func text(_ column: String) throws -> String?
    /// The integer in `column`, `nil` for NULL.
    func integer(_ column: String) throws -> Int64?
}

extension StoreRow {
    /// The text in a NOT NULL column.
    package func requiredText(_ column: String) throws -> String {
        guard let value = try text(column) else { throw StoreError(.corruptRow, "\(column) is NULL") }
        return value
    }

    /// The integer in a NOT NULL column.
    package func requiredInteger(_ column: String) throws -> Int64 {
        guard let value = try integer(column) else { throw StoreError(.corruptRow, "\(column) is NULL") }
        return value
    }

    fileprivate func amount(_ column: String) throws -> MilliSatoshi? {
        try integer(column).map(MilliSatoshi.init(rawValue:))
    }
}

extension InvoiceRecord {
    /// Decodes a row of `invoices`.
    package init(row: some StoreRow) throws {
        guard let hash = PaymentHash(hex: try row.requiredText("payment_hash")),
            let status = InvoiceStatus(rawValue: try row.requiredText("status"))
        else { throw StoreError(.corruptRow, "invoice row does not decode") }
        self.init(
            paymentHash: hash, bolt11: try row.requiredText("bolt11"), label: try row.text("label"),
            amount: try row.amount("amount_msat"), description: try row.text("description"),
            descriptionHash: try row.text("description_hash"), expirySeconds: try row.requiredInteger("expiry_s"),
            status: status, createdAt: try row.requiredInteger("created_at"),
            expiresAt: try row.requiredInteger("expires_at"), paidAt: try row.integer("paid_at"),
            amountReceived: try row.amount("amount_received_msat"),
            preimage: try row.text("preimage").flatMap(Preimage.init(hex:)), metadata: try row.text("metadata"),
            requestFingerprint: try row.requiredText("request_fingerprint"),
            settleIndex: try row.integer("settle_index"), fiat: try row.text("fiat"),
            account: try row.requiredText("account"))
    }
}

extension PaymentRecord {
    /// Decodes a row of `payments`.
    package init(row: some StoreRow) throws {
        guard let hash = PaymentHash(hex: try row.requiredText("payment_hash")),
            let status = PaymentStatus(rawValue: try row.requiredText("status"))
        else { throw StoreError(.corruptRow, "payment row does not decode") }
        self.init(
            paymentHash: hash, bolt11: try row.requiredText("bolt11"), status: status,
            amount: MilliSatoshi(try row.requiredInteger("amount_msat")),
            maxFee: MilliSatoshi(try row.requiredInteger("max_fee_msat")), fee: try row.amount("fee_msat"),
            preimage: try row.text("preimage").flatMap(Preimage.init(hex:)),
            failureReason: try row.text("failure_reason").flatMap(PaymentFailureReason.init(rawValue:)),
            idempotencyKey: try row.text("idempotency_key"), createdAt: try row.requiredInteger("created_at"),
            completedAt: try row.integer("completed_at"), fiat: try row.text("fiat"),
            account: try row.requiredText("account"))
    }
}

extension EventRecord {
    /// Decodes a row of `events`.
    package init(row: some StoreRow) throws {
        self.init(
            index: try row.requiredInteger("idx"), type: try row.requiredText("type"),
            at: try row.requiredInteger("at"), data: try row.requiredText("data"))
    }
}

extension ProofRecord {
    /// Decodes a row of `proofs`.
    package init(row: some StoreRow) throws {
        guard let origin = Origin(rawValue: try row.requiredText("origin")) else {
            throw StoreError(.corruptRow, "proof row does not decode")
        }
        self.init(
            proofID: try row.requiredText("proof_id"), kind: try row.requiredText("kind"),
            issuer: try row.requiredText("issuer"), owner: try row.requiredText("owner"),
            status: try row.requiredText("status"), sequence: try row.requiredInteger("sequence"), origin: origin,
            document: try row.requiredText("document"), createdAt: try row.requiredInteger("created_at"),
            updatedAt: try row.requiredInteger("updated_at"), issuedAt: try row.requiredInteger("issued_at"))
    }
}

extension ProofTransitionRecord {
    /// Decodes a row of `proof_transitions`.
    package init(row: some StoreRow) throws {
        guard let state = State(rawValue: try row.requiredText("state")) else {
            throw StoreError(.corruptRow, "transition row does not decode")
        }
        self.init(
            transitionID: try row.requiredText("transition_id"), proofID: try row.requiredText("proof_id"),
            previousID: try row.requiredText("previous_id"), sequence: try row.requiredInteger("sequence"),
            newOwner: try row.requiredText("new_owner"), paymentHash: try row.text("payment_hash"),
            createdAt: try row.requiredInteger("created_at"), state: state)
    }
}

extension WalletTransaction {
    /// Decodes a row selected from ``WalletHistorySQL/rows``.
    package init(row: some StoreRow) throws {
        guard let hash = PaymentHash(hex: try row.requiredText("payment_hash")),
            let direction = Direction(rawValue: try row.requiredText("direction"))
        else { throw StoreError(.corruptRow, "transaction row does not decode") }
        self.init(
            direction: direction, paymentHash: hash, amount: MilliSatoshi(try row.requiredInteger("amount_msat")),
            fee: MilliSatoshi(try row.requiredInteger("fee_msat")), status: try row.requiredText("status"),
            at: try row.requiredInteger("at"), description: try row.text("description"), label: try row.text("label"),
            metadata: try row.text("metadata"), bolt11: try row.text("bolt11"))
    }
}

extension WalletTotals {
    /// Decodes the row of ``WalletHistorySQL/totals``.
    package init(row: some StoreRow) throws {
        self.init(
            incoming: MilliSatoshi(try row.requiredInteger("in_msat")),
            outgoing: MilliSatoshi(try row.requiredInteger("out_msat")),
            fees: MilliSatoshi(try row.requiredInteger("fees_msat")), count: try row.requiredInteger("count"))
    }
}

extension Page {
    /// The first `limit` of `rows` (fetched `limit + 1` to know whether a next page exists), decoded, with the
    /// cursor of the next page taken from the last item's `cursor_id` column.
    package static func of<Row: StoreRow>(_ rows: [Row], limit: Int, _ decode: (Row) throws -> Element) throws -> Page {
        let items = try rows.prefix(limit).map(decode)
        let next = rows.count > limit ? try rows[limit - 1].integer("cursor_id").map { String($0) } : nil
        return Page(items: items, nextCursor: next)
    }
}

extension Page where Element == WalletTransaction {
    /// The first `limit` transactions of `rows`, the next cursor being the last one's `at:payment_hash`.
    package static func transactions(_ rows: [some StoreRow], limit: Int) throws -> Page {
        let items = try rows.prefix(limit).map { try WalletTransaction(row: $0) }
        let next = rows.count > limit ? items.last.map { "\($0.at):\($0.paymentHash.hex)" } : nil
        return Page(items: items, nextCursor: next)
    }

    /// The time and hash of a transactions cursor.
    package static func splitCursor(_ cursor: String?) -> (Int64?, String?) {
        guard let cursor, let colon = cursor.firstIndex(of: ":"), let time = Int64(cursor[..<colon]) else {
            return (nil, nil)
        }
        return (time, String(cursor[cursor.index(after: colon)...]))
    }
}
