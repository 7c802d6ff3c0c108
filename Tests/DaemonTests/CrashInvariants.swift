import Foundation
import GRDB

/// What the harness checks after every crash cycle, read straight from the daemons' SQLite files (read-only,
/// beside the running daemons) and from the payment network's own record (dev ledger or LND simulator).
struct CrashInvariants {
    /// The payment network's view: which hashes it settled, and whether any was settled twice or money
    /// appeared or vanished.
    struct NetworkView {
        var paidHashes: Set<String>
        var paidTwice: [String]
        var moneyConserved: Bool
        var detail: String
    }

    /// A daemon's store, as the harness sees it.
    struct StoreView {
        var invoices: [String: String]  // payment hash -> status
        var payments: [String: String]  // payment hash -> status
        var proofs: Set<String>
        var pendingTransitionsWithPaidInvoice: Int
        var eventCount: Int
        var eventMaxIndex: Int64
        var duplicateEvents: [String]
        var integrityOK: Bool
    }

    static func readStore(_ path: String) throws -> StoreView {
        try withReadOnlyDatabase(path) { database in
            let invoices = try Row.fetchAll(database, sql: "SELECT payment_hash, status FROM invoices")
            let payments = try Row.fetchAll(database, sql: "SELECT payment_hash, status FROM payments")
            // A settlement or a payment outcome is recorded once: the same event twice for one hash is a duplicate.
            let duplicates = try String.fetchAll(
                database,
                sql: """
                    SELECT type || ' ' || coalesce(json_extract(data, '$.payment_hash'),
                        json_extract(data, '$.proof_id') || '#' || json_extract(data, '$.sequence'))
                    FROM events WHERE type IN ('invoice.paid', 'payment.succeeded', 'proof.transferred')
                    GROUP BY 1 HAVING count(*) > 1
                    """)
            return StoreView(
                invoices: Dictionary(uniqueKeysWithValues: invoices.map { ($0["payment_hash"], $0["status"]) }),
                payments: Dictionary(uniqueKeysWithValues: payments.map { ($0["payment_hash"], $0["status"]) }),
                proofs: Set(try String.fetchAll(database, sql: "SELECT proof_id FROM proofs")),
                pendingTransitionsWithPaidInvoice: try Int.fetchOne(
                    database,
                    sql: """
                        SELECT count(*) FROM proof_transitions t JOIN invoices i ON i.payment_hash = t.payment_hash
                        WHERE t.state = 'pending' AND i.status = 'paid'
                        """) ?? -1,
                eventCount: try Int.fetchOne(database, sql: "SELECT count(*) FROM events") ?? -1,
                eventMaxIndex: try Int64.fetchOne(database, sql: "SELECT coalesce(max(idx), 0) FROM events") ?? -1,
                duplicateEvents: duplicates,
                integrityOK: try String.fetchOne(database, sql: "PRAGMA integrity_check") == "ok")
        }
    }

    /// The dev ledger: money is conserved when every node's balance plus the fees collected equals what the
    /// nodes were funded with.
    static func readDevLedger(_ path: String) throws -> NetworkView {
        try withReadOnlyDatabase(path) { database in
            let funded = try Int64.fetchOne(database, sql: "SELECT sum(funded_msat) FROM nodes") ?? -1
            let balances = try Int64.fetchOne(database, sql: "SELECT sum(balance_msat) FROM nodes") ?? -1
            let fees = try Int64.fetchOne(database, sql: "SELECT collected_msat FROM fees") ?? -1
            let paid = try String.fetchAll(database, sql: "SELECT payment_hash FROM payments")
            let paidInvoices = try Int.fetchOne(database, sql: "SELECT count(*) FROM invoices WHERE status = 'paid'")
            let integrity = try String.fetchOne(database, sql: "PRAGMA integrity_check") == "ok"
            return NetworkView(
                paidHashes: Set(paid), paidTwice: paidInvoices == paid.count ? [] : ["paid invoices != payments"],
                moneyConserved: integrity && balances + fees == funded,
                detail: "ledger: \(paid.count) payments, balances \(balances) + fees \(fees) = funded \(funded)")
        }
    }

    private static func withReadOnlyDatabase<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        defer { try? pool.close() }
        return try pool.read(body)
    }

    /// Every broken invariant, as readable lines; empty when all hold.
    static func violations(
        network: NetworkView, payee: StoreView, payer: StoreView, acknowledged: Acknowledged.Snapshot
    ) -> [String] {
        var broken: [String] = []
        if !network.paidTwice.isEmpty { broken.append("paid twice: \(network.paidTwice)") }
        if !network.moneyConserved { broken.append("money not conserved: \(network.detail)") }
        let succeeded = Set(payer.payments.filter { $0.value == "succeeded" }.keys)
        if succeeded != network.paidHashes {
            broken.append(
                "payer's succeeded payments differ from the network's: only in store "
                    + "\(succeeded.subtracting(network.paidHashes).sorted()), only in network "
                    + "\(network.paidHashes.subtracting(succeeded).sorted())")
        }
        let pending = payer.payments.filter { $0.value == "pending" }.keys.sorted()
        if !pending.isEmpty { broken.append("payments still pending after reconciliation: \(pending)") }
        let paidInvoices = Set(payee.invoices.filter { $0.value == "paid" }.keys)
        let settled = network.paidHashes.intersection(payee.invoices.keys)
        if paidInvoices != settled {
            broken.append(
                "payee's paid invoices differ from the network's settlements: only in store "
                    + "\(paidInvoices.subtracting(settled).sorted()), only in network "
                    + "\(settled.subtracting(paidInvoices).map { "\($0) (\(payee.invoices[$0] ?? "?"))" }.sorted())")
        }
        let lostInvoices = acknowledged.invoices.subtracting(payee.invoices.keys)
        if !lostInvoices.isEmpty { broken.append("acknowledged invoices missing: \(lostInvoices.sorted())") }
        for (hash, status) in acknowledged.payments {
            guard let stored = payer.payments[hash] else {
                broken.append("acknowledged payment missing: \(hash)")
                continue
            }
            if status == "succeeded" && stored != "succeeded" {
                broken.append("payment \(hash) acknowledged as succeeded is now \(stored)")
            }
        }
        let lostProofs = acknowledged.proofs.subtracting(payee.proofs)
        if !lostProofs.isEmpty { broken.append("acknowledged proofs missing: \(lostProofs.sorted())") }
        if payee.pendingTransitionsWithPaidInvoice != 0 {
            broken.append("\(payee.pendingTransitionsWithPaidInvoice) proof transfers paid but not finalized")
        }
        for (name, store) in [("payee", payee), ("payer", payer)] {
            if Int64(store.eventCount) != store.eventMaxIndex {
                broken.append(
                    "\(name) event log has a gap: \(store.eventCount) events, last index \(store.eventMaxIndex)")
            }
            if !store.duplicateEvents.isEmpty { broken.append("\(name) duplicate events: \(store.duplicateEvents)") }
            if !store.integrityOK { broken.append("\(name) store fails PRAGMA integrity_check") }
        }
        return broken
    }
}

/// What the daemons acknowledged to the harness's clients: an answer was received, so it must survive.
actor Acknowledged {
    struct Snapshot: Sendable {
        var invoices: Set<String> = []
        var payments: [String: String] = [:]
        var proofs: Set<String> = []
    }

    private(set) var snapshot = Snapshot()

    func invoice(_ hash: String) { snapshot.invoices.insert(hash) }
    func payment(_ hash: String, status: String) {
        // A later answer never downgrades a success (a repeated send of a paid invoice answers succeeded too).
        if snapshot.payments[hash] != "succeeded" { snapshot.payments[hash] = status }
    }
    func proof(_ id: String) { snapshot.proofs.insert(id) }
}
