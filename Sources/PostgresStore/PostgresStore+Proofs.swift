import PostgresNIO
import StoreModel

extension PostgresStore {
    /// Applies a ``ProofChange`` atomically. Throws `doubleTransfer` when a transition would spend a state that
    /// another live transition already spends (the partial unique index, across instances), and `staleProof`
    /// when the proof changed meanwhile (the compare-and-swap waits for a concurrent writer, then re-checks).
    package func applyProofChange(_ change: ProofChange) async throws(StoreError) -> EventRecord? {
        let written: EventOutbox.Pending? = try await write("write proof") { [logger] connection in
            if let writeKey = change.writeKey { try await Self.insertWriteKey(writeKey, on: connection, logger) }
            let record = change.record
            if let expected = change.expected {
                let updated = try await connection.rows(
                    """
                    UPDATE proofs SET owner = \(record.owner), status = \(record.status), sequence = \(record.sequence),
                        document = \(record.document), updated_at = \(record.updatedAt)
                    WHERE proof_id = \(record.proofID) AND status = \(expected.status)
                        AND sequence = \(expected.sequence)
                    RETURNING proof_id
                    """, logger)
                guard updated.count == 1 else {
                    throw StoreError(.staleProof, "the proof changed while this operation ran")
                }
            } else {
                try await connection.query(
                    """
                    INSERT INTO proofs (proof_id, kind, issuer, owner, status, sequence, origin, document, created_at,
                        updated_at, issued_at)
                    VALUES (\(record.proofID), \(record.kind), \(record.issuer), \(record.owner), \(record.status),
                        \(record.sequence), \(record.origin.rawValue), \(record.document), \(record.createdAt),
                        \(record.updatedAt), \(record.issuedAt))
                    """, logger: logger)
            }
            for (holder, since) in change.holders {
                try await connection.query(
                    """
                    INSERT INTO proof_holders (holder, proof_id, since) VALUES (\(holder), \(record.proofID), \(since))
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            for field in change.fields {
                try await connection.query(
                    """
                    INSERT INTO proof_fields (proof_id, name, value, salt)
                    VALUES (\(record.proofID), \(field.name), \(field.value), \(field.salt)) ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            for transition in change.transitions {
                _ = try await connection.rows(
                    """
                    INSERT INTO proof_transitions (transition_id, proof_id, previous_id, sequence, new_owner,
                        payment_hash, created_at, state)
                    VALUES (\(transition.transitionID), \(transition.proofID), \(transition.previousID),
                        \(transition.sequence), \(transition.newOwner), \(transition.paymentHash),
                        \(transition.createdAt), \(transition.state.rawValue))
                    ON CONFLICT (transition_id) DO UPDATE SET state = excluded.state
                    """, logger, uniqueViolation: .doubleTransfer,
                    "state \(transition.previousID) is already spent by another transition")
            }
            if let received = change.receivedConsignment {
                try await connection.query(
                    """
                    INSERT INTO received_consignments (proof_id, received_at, document)
                    VALUES (\(record.proofID), \(record.updatedAt), \(received))
                    """, logger: logger)
            }
            guard let event = change.event else { return nil }
            return try await EventOutbox.insert(event, on: connection, logger)
        }
        guard let written else { return nil }
        return try await indexed(written)
    }

    /// The stored proof with this id.
    package func proof(id: String) async throws(StoreError) -> ProofRecord? {
        try await onConnection("read proof") { connection in
            try await connection.rows("SELECT * FROM proofs WHERE proof_id = \(id)", logger).first
                .map(ProofRecord.init(row:))
        }
    }

    /// Proofs newest first, filtered, with the count of the whole filtered range. `held_by` is a semi-join on
    /// the `proof_holders` primary key (each query is planned with its parameters, so unused conditions fold).
    package func proofs(_ filter: ProofFilter, limit: Int, cursor: String?) async throws(StoreError)
        -> Page<ProofRecord>
    {
        try await onConnection("list proofs") { connection in
            let before = cursor.flatMap { Int64($0) }
            let rows = try await connection.rows(
                Self.matchingProofs(
                    "SELECT row_id AS cursor_id, * FROM proofs", filter, before: before,
                    then: "ORDER BY row_id DESC LIMIT \(limit + 1)"), logger)
            let total = try await connection.rows(
                Self.matchingProofs("SELECT COUNT(*) AS total FROM proofs", filter, before: nil, then: ""), logger)
            var page = try Page.of(rows, limit: limit, ProofRecord.init(row:))
            page.total = try total.first?.integer("total") ?? 0
            return page
        }
    }

    /// `select` (over `proofs`) with every condition of `filter`, the rows before the cursor, then `suffix`.
    private static func matchingProofs(_ select: String, _ filter: ProofFilter, before: Int64?, then suffix: String)
        -> PostgresQuery
    {
        let (owner, kind, status, issuer) = (filter.owner, filter.kind, filter.status, filter.issuer)
        let (fieldName, fieldValue) = (filter.field?.name, filter.field?.value)
        let (heldBy, issuedFrom, issuedTo) = (filter.heldBy, filter.issuedFrom, filter.issuedTo)
        return """
            \(unescaped: select)
            WHERE (\(owner)::text IS NULL OR owner = \(owner)) AND (\(kind)::text IS NULL OR kind = \(kind))
                AND (\(status)::text IS NULL OR status = \(status))
                AND (\(issuer)::text IS NULL OR issuer = \(issuer))
                AND (\(fieldName)::text IS NULL OR EXISTS (
                    SELECT 1 FROM proof_fields f
                    WHERE f.proof_id = proofs.proof_id AND f.name = \(fieldName) AND f.value = \(fieldValue)))
                AND (\(heldBy)::text IS NULL OR proof_id IN (
                    SELECT h.proof_id FROM proof_holders h WHERE h.holder = \(heldBy)))
                AND (\(issuedFrom)::bigint IS NULL OR issued_at >= \(issuedFrom))
                AND (\(issuedTo)::bigint IS NULL OR issued_at <= \(issuedTo))
                AND (\(before)::bigint IS NULL OR row_id < \(before))
            \(unescaped: suffix)
            """
    }

    /// Every transition of a proof, in chain order.
    package func proofTransitions(proofID: String) async throws(StoreError) -> [ProofTransitionRecord] {
        try await onConnection("read transitions") { connection in
            try await connection.rows(
                "SELECT * FROM proof_transitions WHERE proof_id = \(proofID) ORDER BY sequence, created_at", logger
            ).map(ProofTransitionRecord.init(row:))
        }
    }

    /// Pending payment-bound transitions, with the status of the invoice that binds each.
    package func pendingPaymentTransitions() async throws(StoreError) -> [(
        ProofTransitionRecord, invoiceStatus: String?
    )] {
        try await onConnection("read pending transfers") { connection in
            try await connection.preparedRows(
                """
                SELECT t.*, i.status AS invoice_status FROM proof_transitions t
                LEFT JOIN invoices i ON i.payment_hash = t.payment_hash
                WHERE t.state = 'pending'
                """, logger
            ).map { (try ProofTransitionRecord(row: $0), try $0.text("invoice_status")) }
        }
    }

    /// Stores the request of a two-step transfer under its transition id.
    package func saveSigningRequest(
        transitionID: String, proofID: String, request: String, at: Int64
    ) async throws(StoreError) {
        try await onConnection("save signing request") { connection in
            _ = try await connection.query(
                """
                INSERT INTO proof_signing_requests (transition_id, proof_id, request, created_at)
                VALUES (\(transitionID), \(proofID), \(request), \(at))
                ON CONFLICT (transition_id) DO UPDATE
                    SET proof_id = excluded.proof_id, request = excluded.request, created_at = excluded.created_at
                """, logger: logger)
        }
    }

    /// The stored request of a two-step transfer.
    package func signingRequest(transitionID: String) async throws(StoreError) -> (proofID: String, request: String)? {
        try await onConnection("read signing request") { connection in
            try await connection.rows(
                "SELECT proof_id, request FROM proof_signing_requests WHERE transition_id = \(transitionID)", logger
            ).first.map { (try $0.requiredText("proof_id"), try $0.requiredText("request")) }
        }
    }

    /// Remembers that the x-only key `pubkey` is the daemon-held key of platform account `accountID`.
    package func rememberAccountKey(pubkey: String, accountID: String) async throws(StoreError) {
        try await onConnection("remember account key") { connection in
            _ = try await connection.query(
                "INSERT INTO account_keys (pubkey, account_id) VALUES (\(pubkey), \(accountID)) ON CONFLICT DO NOTHING",
                logger: logger)
        }
    }

    /// The account whose daemon-held key is `pubkey`, if any.
    package func account(forKey pubkey: String) async throws(StoreError) -> String? {
        try await onConnection("read account key") { connection in
            try await connection.rows("SELECT account_id FROM account_keys WHERE pubkey = \(pubkey)", logger).first?
                .text("account_id")
        }
    }
}
