import GRDB
import Lightning
import Store
import TestSupport
import Testing

/// The store's behaviour, run against both engines.
@Suite struct StoreTests {
    let directory = TemporaryDirectory()

    func openStore(_ engine: String) async throws -> Store {
        try await Store(
            configuration: .init(location: try StoreLocation(url: try await StoreEngines.url(engine, in: directory))))
    }

    func invoice(_ label: String? = nil, fingerprint: String = "f") -> InvoiceRecord {
        let preimage = Preimage.random()
        return InvoiceRecord(
            paymentHash: preimage.paymentHash, bolt11: "lnbcrt1...", label: label, amount: MilliSatoshi(1000),
            description: "coffee", descriptionHash: nil, expirySeconds: 3600, status: .open, createdAt: 100,
            expiresAt: 3700, preimage: preimage, metadata: nil, requestFingerprint: fingerprint)
    }

    func payment(_ hash: PaymentHash, key: String? = nil) -> PaymentRecord {
        PaymentRecord(
            paymentHash: hash, bolt11: "lnbcrt1...", status: .pending, amount: MilliSatoshi(5000),
            maxFee: MilliSatoshi(100), idempotencyKey: key, createdAt: 10)
    }

    func event(_ type: String) -> @Sendable (Any) -> NewEvent { { _ in NewEvent(type: type, at: 1, data: "{}") } }

    @Test func migrationV1CreatesTheSchemaWithItsConstraints() async throws {
        defer { directory.remove() }
        let store = try await openStore("sqlite")
        #expect(try await store.appliedMigrations() == StoreSchema.versions)
        #expect(try await store.integrityCheck())
        let queue = try DatabaseQueue(path: directory.file("store.sqlite"))
        try await queue.write { database in
            for table in ["invoices", "payments", "payment_attempts", "events", "cursors"] {
                #expect(try database.tableExists(table), "table \(table)")
            }
            let hash = String(repeating: "a", count: 64)
            #expect(throws: DatabaseError.self) {
                try database.execute(
                    sql: """
                        INSERT INTO payments (payment_hash, bolt11, status, amount_msat, max_fee_msat, created_at)
                        VALUES (?, 'x', 'pending', -5, 0, 1)
                        """, arguments: [hash])
            }
            try database.execute(
                sql: """
                    INSERT INTO payments (payment_hash, bolt11, status, amount_msat, max_fee_msat, created_at)
                    VALUES (?, 'x', 'pending', 5, 0, 1)
                    """, arguments: [hash])
            #expect(throws: DatabaseError.self) {
                try database.execute(
                    sql: """
                        INSERT INTO payments (payment_hash, bolt11, status, amount_msat, max_fee_msat, created_at)
                        VALUES (?, 'x', 'pending', 5, 0, 1)
                        """, arguments: [hash])
            }
            #expect(throws: DatabaseError.self) {
                try database.execute(
                    sql: "UPDATE payments SET status = 'succeeded' WHERE payment_hash = ?", arguments: [hash])
            }
        }
        try queue.close()
        // Reopening applies nothing new.
        try await store.close()
        #expect(try await openStore("sqlite").appliedMigrations() == StoreSchema.versions)
    }

    @Test(arguments: StoreEngines.all) func labelsAreIdempotentAndConflictsAreRefused(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        let first = invoice("order-1")
        guard case .created = try await store.createInvoice(first) else { Issue.record("not created"); return }
        guard case .existing(let again) = try await store.createInvoice(invoice("order-1")) else {
            Issue.record("not idempotent")
            return
        }
        #expect(again.paymentHash == first.paymentHash)
        await #expect(throws: StoreError(.labelConflict, "label is used by an invoice with other parameters")) {
            try await store.createInvoice(invoice("order-1", fingerprint: "other"))
        }
    }

    @Test(arguments: StoreEngines.all) func invoiceLifecycleWritesOneEventPerChange(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        let record = invoice()
        _ = try await store.createInvoice(record)
        let paid = try await store.markInvoicePaid(
            record.paymentHash, amountReceived: MilliSatoshi(1000), preimage: record.preimage!, paidAt: 200,
            settleIndex: 1, event: event("invoice.paid"))
        #expect(paid?.0.status == .paid)
        #expect(paid?.1.index == 1)
        #expect(
            try await store.markInvoicePaid(
                record.paymentHash, amountReceived: MilliSatoshi(1000), preimage: record.preimage!, paidAt: 200,
                settleIndex: 1, event: event("invoice.paid")) == nil)
        #expect(
            try await store.closeInvoice(record.paymentHash, as: .canceled, event: event("invoice.canceled")) == nil)
        #expect(try await store.events(after: 0, limit: 10).map(\.type) == ["invoice.paid"])
        let other = invoice()
        _ = try await store.createInvoice(other)
        #expect(try await store.expiredOpenInvoices(now: 3700) == [other.paymentHash])
        #expect(
            try await store.closeInvoice(other.paymentHash, as: .expired, event: event("invoice.expired"))?.0.status
                == .expired)
        #expect(try await store.lastEventIndex() == 2)
    }

    @Test(arguments: StoreEngines.all) func aPaymentHashIsStartedOnceUntilItDefinitelyFails(engine: String) async throws
    {
        defer { directory.remove() }
        let store = try await openStore(engine)
        let hash = Preimage.random().paymentHash
        guard case .started = try await store.beginPayment(payment(hash, key: "k1")) else {
            Issue.record("not started"); return
        }
        guard case .inFlight = try await store.beginPayment(payment(hash)) else { Issue.record("second start"); return }
        #expect(try await store.pendingPayments().map(\.paymentHash) == [hash])
        let failed = try await store.completePayment(
            hash, outcome: .failed(.noRoute), at: 20, event: event("payment.failed"))
        #expect(failed?.0.status == .failed)
        guard case .started = try await store.beginPayment(payment(hash)) else {
            Issue.record("no retry after failure"); return
        }
        #expect(try await store.attemptCount(hash) == 2)
        let preimage = Preimage.random()
        _ = try await store.completePayment(
            hash, outcome: .succeeded(preimage: preimage, fee: MilliSatoshi(3)), at: 30,
            event: event("payment.succeeded"))
        guard case .succeeded(let paid) = try await store.beginPayment(payment(hash)) else {
            Issue.record("paid twice"); return
        }
        #expect(paid.preimage == preimage)
        #expect(
            try await store.completePayment(hash, outcome: .failed(.noRoute), at: 40, event: event("payment.failed"))
                == nil)
        await #expect(throws: StoreError.self) {
            try await store.beginPayment(payment(Preimage.random().paymentHash, key: "k1"))
        }
    }

    @Test(arguments: StoreEngines.all) func pagingWalksEveryInvoiceOnce(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        var created: [PaymentHash] = []
        for _ in 0..<25 {
            let record = invoice()
            _ = try await store.createInvoice(record)
            created.append(record.paymentHash)
        }
        var seen: [PaymentHash] = []
        var cursor: String?
        repeat {
            let page = try await store.invoices(status: .open, account: nil, limit: 10, cursor: cursor)
            seen += page.items.map(\.paymentHash)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == created.reversed())
    }

    @Test func cursorsOnlyMoveForwardAndBackupsAreComplete() async throws {
        defer { directory.remove() }
        let store = try await openStore("sqlite")
        try await store.advanceCursor("settle", to: 5)
        try await store.advanceCursor("settle", to: 3)
        #expect(try await store.cursor("settle") == 5)
        _ = try await store.createInvoice(invoice())
        try await store.backup(to: directory.file("backup.sqlite"))
        let restored = try await Store(configuration: .init(path: directory.file("backup.sqlite")))
        #expect(try await restored.invoices(status: nil, account: nil, limit: 10, cursor: nil).items.count == 1)
        #expect(try await restored.cursor("settle") == 5)
    }

    @Test(arguments: StoreEngines.all) func migrationV2MakesEachProofStateSpendableOnce(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        let id = String(repeating: "1", count: 64)
        let key = String(repeating: "2", count: 64)
        let record = ProofRecord(
            proofID: id, kind: "purchase", issuer: key, owner: key, status: "active", sequence: 0, origin: .issued,
            document: "{}", createdAt: 1, updatedAt: 1)
        _ = try await store.applyProofChange(
            ProofChange(
                record: record, expected: nil, fields: [("seat", "A1", String(repeating: "5", count: 64))],
                event: NewEvent(type: "proof.created", at: 1, data: "{}")))
        func transition(_ name: String, state: ProofTransitionRecord.State = .final) -> ProofTransitionRecord {
            ProofTransitionRecord(
                transitionID: String(repeating: name, count: 64), proofID: id, previousID: id, sequence: 1,
                newOwner: key, paymentHash: nil, createdAt: 2, state: state)
        }
        var moved = record
        moved.sequence = 1
        _ = try await store.applyProofChange(
            ProofChange(
                record: moved, expected: ("active", 0), transitions: [transition("a", state: .pending)], event: nil))
        await #expect(throws: StoreError.self) {
            try await store.applyProofChange(ProofChange(record: moved, expected: ("active", 0), event: nil))
        }
        await #expect(
            performing: {
                try await store.applyProofChange(
                    ProofChange(record: moved, expected: ("active", 1), transitions: [transition("b")], event: nil))
            }, throws: { ($0 as? StoreError)?.code == .doubleTransfer })
        _ = try await store.applyProofChange(
            ProofChange(
                record: moved, expected: ("active", 1), transitions: [transition("a", state: .canceled)], event: nil))
        _ = try await store.applyProofChange(
            ProofChange(record: moved, expected: ("active", 1), transitions: [transition("b")], event: nil))
        #expect(try await store.proofTransitions(proofID: id).map(\.state) == [.canceled, .final])
        #expect(
            try await store.proofs(ProofFilter(owner: key, kind: "purchase"), limit: 10, cursor: nil).items.count == 1)
        func count(_ filter: ProofFilter) async throws -> Int {
            try await store.proofs(filter, limit: 10, cursor: nil).items.count
        }
        #expect(try await count(ProofFilter(issuer: key, field: ("seat", "A1"))) == 1)
        #expect(try await count(ProofFilter(field: ("seat", "A2"))) == 0)
        #expect(try await count(ProofFilter(issuer: String(repeating: "3", count: 64))) == 0)
        var redeemed = moved
        redeemed.status = "redeemed"
        _ = try await store.applyProofChange(ProofChange(record: redeemed, expected: ("active", 1), event: nil))
        #expect(try await count(ProofFilter(status: "redeemed")) == 1)
    }
}
