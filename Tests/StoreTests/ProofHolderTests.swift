import GRDB
import PostgresNIO
import Store
import TestSupport
import Testing

@testable import PostgresStore

/// `proof.list`'s `held_by`, issue-time range and `total` in the store, and the `v8_proof_holders` backfill, on
/// both engines.
@Suite struct ProofHolderTests {
    let directory = TemporaryDirectory()
    static let (a, b, c, d) = (key("a"), key("b"), key("c"), key("d"))

    static func key(_ digit: Character) -> String { String(repeating: digit, count: 64) }

    func openStore(_ engine: String) async throws -> Store {
        try await Store(
            configuration: .init(location: try StoreLocation(url: try await StoreEngines.url(engine, in: directory))))
    }

    /// A proof issued to `owner` at `issuedAt`, its document carrying the genesis the migration reads.
    static func issued(_ id: Character, owner: String, issuedAt: Int64) -> ProofRecord {
        ProofRecord(
            proofID: key(id), kind: "ticket", issuer: key("9"), owner: owner, status: "active", sequence: 0,
            origin: .issued, document: #"{"genesis":{"issued_at":\#(issuedAt),"owner":"\#(owner)"}}"#,
            createdAt: issuedAt + 5, updatedAt: issuedAt + 5, issuedAt: issuedAt)
    }

    /// `record` moved to `newOwner` by its next (final) transition `name`.
    static func moved(_ record: ProofRecord, to newOwner: String, by name: Character) -> ProofChange {
        var next = record
        next.owner = newOwner
        next.sequence += 1
        next.updatedAt += 10
        let transition = ProofTransitionRecord(
            transitionID: key(name), proofID: record.proofID,
            previousID: record.sequence == 0 ? record.proofID : String(repeating: name, count: 63) + "0",
            sequence: next.sequence,
            newOwner: newOwner, paymentHash: nil, createdAt: next.updatedAt, state: .final)
        return ProofChange(
            record: next, expected: (record.status, record.sequence), transitions: [transition], event: nil)
    }

    func ids(_ store: Store, _ filter: ProofFilter) async throws -> [String] {
        try await store.proofs(filter, limit: 10, cursor: nil).items.map(\.proofID)
    }

    /// Writes a proof 1 that moved a -> b -> c (the first move by its own final transition record, the second
    /// with the transition already final), a proof 2 issued to d, and a proof 3 imported with its chain.
    func writeProofs(_ store: Store) async throws {
        let first = Self.issued("1", owner: Self.a, issuedAt: 1_000)
        _ = try await store.applyProofChange(ProofChange(record: first, expected: nil, event: nil))
        let toB = Self.moved(first, to: Self.b, by: "e")
        _ = try await store.applyProofChange(toB)
        _ = try await store.applyProofChange(Self.moved(toB.record, to: Self.c, by: "f"))
        _ = try await store.applyProofChange(
            ProofChange(record: Self.issued("2", owner: Self.d, issuedAt: 2_000), expected: nil, event: nil))
        var imported = Self.issued("3", owner: Self.c, issuedAt: 3_000)
        imported.origin = .imported
        _ = try await store.applyProofChange(
            ProofChange(record: imported, expected: nil, event: nil, formerOwners: [Self.b]))
    }

    @Test(arguments: StoreEngines.all) func everyKeyThatEverHeldAProofListsIt(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        try await writeProofs(store)
        let (one, two, three) = (Self.key("1"), Self.key("2"), Self.key("3"))
        #expect(try await ids(store, ProofFilter(heldBy: Self.a)) == [one])
        #expect(try await ids(store, ProofFilter(heldBy: Self.b)) == [three, one])
        #expect(try await ids(store, ProofFilter(heldBy: Self.c)) == [three, one])
        #expect(try await ids(store, ProofFilter(heldBy: Self.d)) == [two])
        #expect(try await ids(store, ProofFilter(heldBy: Self.key("8"))) == [])
        #expect(try await ids(store, ProofFilter(owner: Self.b)) == [])
        #expect(try await ids(store, ProofFilter(owner: Self.c, heldBy: Self.a)) == [one])
        #expect(try await ids(store, ProofFilter(issuedFrom: 1_500, issuedTo: 3_000)) == [three, two])
        #expect(try await ids(store, ProofFilter(issuedTo: 1_000)) == [one])
        #expect(try await ids(store, ProofFilter(heldBy: Self.c, issuedFrom: 3_001)) == [])
    }

    @Test(arguments: StoreEngines.all) func pagesCarryTheTotalOfTheWholeFilteredRange(engine: String) async throws {
        defer { directory.remove() }
        let store = try await openStore(engine)
        try await writeProofs(store)
        var cursor: String?
        var seen: [String] = []
        repeat {
            let page = try await store.proofs(ProofFilter(heldBy: Self.b), limit: 1, cursor: cursor)
            #expect(page.total == 2)
            seen += page.items.map(\.proofID)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == [Self.key("3"), Self.key("1")])
        #expect(try await store.proofs(ProofFilter(), limit: 1, cursor: nil).total == 3)
        #expect(try await store.proofs(ProofFilter(kind: "other"), limit: 1, cursor: nil).total == 0)
    }

    /// The stores are written, then v8 is undone by hand (its table, column and version row dropped): opening
    /// the store again runs v8, which must find every holder from the proofs, transitions and genesis owners.
    @Test(arguments: StoreEngines.all) func theMigrationBackfillsHoldersAndIssueTimes(engine: String) async throws {
        defer { directory.remove() }
        let url = try await StoreEngines.url(engine, in: directory)
        let store = try await Store(configuration: .init(location: try StoreLocation(url: url)))
        try await writeProofs(store)
        let undo = [
            "DROP TABLE proof_holders", "DROP INDEX proofs_issued_at", "ALTER TABLE proofs DROP COLUMN issued_at",
        ]
        if let postgres = store.base as? PostgresStore {
            try await postgres.onConnection("undo v8") { connection in
                for statement in undo + ["DELETE FROM schema_migrations WHERE version = 'v8_proof_holders'"] {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: postgres.logger)
                }
            }
            try await store.close()
        } else {
            try await store.close()
            let queue = try DatabaseQueue(path: directory.file("store.sqlite"))
            try await queue.write { database in
                for statement in undo + ["DELETE FROM grdb_migrations WHERE identifier = 'v8_proof_holders'"] {
                    try database.execute(sql: statement)
                }
            }
        }
        let migrated = try await Store(configuration: .init(location: try StoreLocation(url: url)))
        #expect(try await migrated.appliedMigrations() == StoreSchema.versions)
        #expect(try await ids(migrated, ProofFilter(heldBy: Self.a)) == [Self.key("1")])
        #expect(try await ids(migrated, ProofFilter(heldBy: Self.b)) == [Self.key("1")])
        #expect(try await ids(migrated, ProofFilter(heldBy: Self.c)) == [Self.key("3"), Self.key("1")])
        #expect(try await ids(migrated, ProofFilter(issuedFrom: 2_000, issuedTo: 2_000)) == [Self.key("2")])
        try await migrated.close()
    }
}
