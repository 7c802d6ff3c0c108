import GRDB
import StoreModel

extension SQLiteStore {
    /// Applies a ``ProofChange`` atomically. Throws `doubleTransfer` when a transition would spend a state
    /// that another live transition already spends, and `staleProof` when the proof changed meanwhile.
    public func applyProofChange(_ change: ProofChange) async throws(StoreError) -> EventRecord? {
        try await write("write proof") { database in
            if let writeKey = change.writeKey { try Self.insertWriteKey(writeKey, in: database) }
            let record = change.record
            if let expected = change.expected {
                try database.execute(
                    sql: """
                        UPDATE proofs SET owner = ?, status = ?, sequence = ?, document = ?, updated_at = ?
                        WHERE proof_id = ? AND status = ? AND sequence = ?
                        """,
                    arguments: [
                        record.owner, record.status, record.sequence, record.document, record.updatedAt,
                        record.proofID, expected.status, expected.sequence,
                    ])
                guard database.changesCount == 1 else {
                    throw StoreError(.staleProof, "the proof changed while this operation ran")
                }
            } else {
                try database.execute(
                    sql: """
                        INSERT INTO proofs (proof_id, kind, issuer, owner, status, sequence, origin, document,
                            created_at, updated_at, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        record.proofID, record.kind, record.issuer, record.owner, record.status, record.sequence,
                        record.origin.rawValue, record.document, record.createdAt, record.updatedAt, record.issuedAt,
                    ])
            }
            for (holder, since) in change.holders {
                try database.execute(
                    sql: "INSERT OR IGNORE INTO proof_holders (holder, proof_id, since) VALUES (?, ?, ?)",
                    arguments: [holder, record.proofID, since])
            }
            for field in change.fields {
                try database.execute(
                    sql: "INSERT OR IGNORE INTO proof_fields (proof_id, name, value, salt) VALUES (?, ?, ?, ?)",
                    arguments: [record.proofID, field.name, field.value, field.salt])
            }
            for transition in change.transitions {
                try Self.upsertTransition(transition, in: database)
            }
            if let received = change.receivedConsignment {
                try database.execute(
                    sql: "INSERT INTO received_consignments (proof_id, received_at, document) VALUES (?, ?, ?)",
                    arguments: [record.proofID, record.updatedAt, received])
            }
            return try change.event.map { try Self.insertEvent($0, in: database) }
        }
    }

    private static func upsertTransition(_ transition: ProofTransitionRecord, in database: Database) throws {
        do {
            try database.execute(
                sql: """
                    INSERT INTO proof_transitions (transition_id, proof_id, previous_id, sequence, new_owner,
                        payment_hash, created_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (transition_id) DO UPDATE SET state = excluded.state
                    """,
                arguments: [
                    transition.transitionID, transition.proofID, transition.previousID, transition.sequence,
                    transition.newOwner, transition.paymentHash, transition.createdAt, transition.state.rawValue,
                ])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.doubleTransfer, "state \(transition.previousID) is already spent by another transition")
        }
    }

    /// The stored proof with this id.
    public func proof(id: String) async throws(StoreError) -> ProofRecord? {
        try await read("read proof") { database in
            try Row.fetchOne(database, sql: "SELECT * FROM proofs WHERE proof_id = ?", arguments: [id])
                .map(ProofRecord.init(row:))
        }
    }

    /// Proofs newest first, filtered, with the count of the whole filtered range. Only the conditions given
    /// are in the SQL, so SQLite picks the index each needs (`owner`, `kind`, `issued_at`); `held_by` walks the
    /// `proof_holders` primary key first (CROSS JOIN fixes the join order), never the whole `proofs` table.
    /// The page's rowids are chosen and sorted first; only their rows (documents) are read.
    public func proofs(_ filter: ProofFilter, limit: Int, cursor: String?) async throws(StoreError) -> Page<ProofRecord>
    {
        try await read("list proofs") { database in
            let source =
                filter.heldBy == nil
                ? "proofs p" : "proof_holders h CROSS JOIN proofs p ON p.proof_id = h.proof_id AND h.holder = ?9"
            let conditions: [(given: Bool, sql: String)] = [
                (filter.owner != nil, "p.owner = ?1"), (filter.kind != nil, "p.kind = ?2"),
                (filter.status != nil, "p.status = ?3"), (filter.issuer != nil, "p.issuer = ?6"),
                (
                    filter.field != nil,
                    "EXISTS (SELECT 1 FROM proof_fields f WHERE f.proof_id = p.proof_id AND f.name = ?7 AND f.value = ?8)"
                ),
                (filter.issuedFrom != nil, "p.issued_at >= ?10"), (filter.issuedTo != nil, "p.issued_at <= ?11"),
            ]
            // `?12 = 0` (always true) names the last parameter, so every statement takes all 12 arguments.
            let matching =
                "FROM \(source) WHERE "
                + (["?12 = 0"] + conditions.filter(\.given).map(\.sql))
                .joined(separator: " AND ")
            let arguments: StatementArguments = [
                filter.owner, filter.kind, filter.status, cursor.flatMap { Int64($0) }, limit + 1,
                filter.issuer, filter.field?.name, filter.field?.value, filter.heldBy, filter.issuedFrom,
                filter.issuedTo, 0,
            ]
            let rows = try Row.fetchAll(
                database,
                sql: """
                    SELECT rowid AS cursor_id, * FROM proofs WHERE rowid IN (
                        SELECT p.rowid \(matching) AND (?4 IS NULL OR p.rowid < ?4) ORDER BY p.rowid DESC LIMIT ?5)
                    ORDER BY rowid DESC
                    """, arguments: arguments)
            // The count ignores the cursor (?4) and the limit (?5): the whole filtered range.
            let total = try Int64.fetchOne(database, sql: "SELECT COUNT(*) \(matching)", arguments: arguments)
            var page = try Page.of(rows, limit: limit, ProofRecord.init(row:))
            page.total = total ?? 0
            return page
        }
    }

    /// Every transition of a proof, in chain order (canceled ones included, at their sequence).
    public func proofTransitions(proofID: String) async throws(StoreError) -> [ProofTransitionRecord] {
        try await read("read transitions") { database in
            try Row.fetchAll(
                database, sql: "SELECT * FROM proof_transitions WHERE proof_id = ? ORDER BY sequence, created_at",
                arguments: [proofID]
            ).map(ProofTransitionRecord.init(row:))
        }
    }

    /// Pending payment-bound transitions, with the state of the invoice that binds each.
    public func pendingPaymentTransitions() async throws(StoreError) -> [(
        ProofTransitionRecord, invoiceStatus: String?
    )] {
        try await read("read pending transfers") { database in
            try Row.fetchAll(
                database,
                sql: """
                    SELECT t.*, i.status AS invoice_status FROM proof_transitions t
                    LEFT JOIN invoices i ON i.payment_hash = t.payment_hash
                    WHERE t.state = 'pending'
                    """
            ).map { (try ProofTransitionRecord(row: $0), $0["invoice_status"]) }
        }
    }

    /// Stores the request of a two-step transfer (the owner signs elsewhere) under its transition id.
    public func saveSigningRequest(transitionID: String, proofID: String, request: String, at: Int64)
        async throws(StoreError)
    {
        try await write("save signing request") { database in
            try database.execute(
                sql: """
                    INSERT OR REPLACE INTO proof_signing_requests (transition_id, proof_id, request, created_at)
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [transitionID, proofID, request, at])
        }
    }

    /// The stored request of a two-step transfer.
    public func signingRequest(transitionID: String) async throws(StoreError) -> (proofID: String, request: String)? {
        try await read("read signing request") { database in
            try Row.fetchOne(
                database, sql: "SELECT proof_id, request FROM proof_signing_requests WHERE transition_id = ?",
                arguments: [transitionID]
            ).map { ($0["proof_id"], $0["request"]) }
        }
    }
}

extension SQLiteStore {
    /// Remembers that the x-only key `pubkey` is the daemon-held key of platform account `accountID`.
    public func rememberAccountKey(pubkey: String, accountID: String) async throws(StoreError) {
        try await write("remember account key") { database in
            try database.execute(
                sql: "INSERT OR IGNORE INTO account_keys (pubkey, account_id) VALUES (?, ?)",
                arguments: [pubkey, accountID])
        }
    }

    /// The account whose daemon-held key is `pubkey`, if any.
    public func account(forKey pubkey: String) async throws(StoreError) -> String? {
        try await read("read account key") {
            try String.fetchOne(
                $0, sql: "SELECT account_id FROM account_keys WHERE pubkey = ?", arguments: [pubkey])
        }
    }
}
