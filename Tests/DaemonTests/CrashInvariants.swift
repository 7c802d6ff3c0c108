import Foundation
import GRDB
import Store

/// What the harness checks after every crash cycle, read from the daemons' stores (beside the running daemons) and from the payment network's own record (dev ledger or LND simulator).
struct CrashInvariants {
    /// The payment network's view: which hashes it settled, and whether any was settled twice or money
    /// appeared or vanished.
    struct NetworkView {
        var paidHashes: Set<String>
        var paidTwice: [String]
        var moneyConserved: Bool
        var detail: String
        /// What each node gained or lost since it was funded, by public key (known on the dev ledger only).
        var nodeHoldings: [String: Int64] = [:]
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
        /// The store's own check of its journal, balances and holds (`ledger.audit`).
        var ledger: LedgerAudit
    }

    /// A daemon's store at `url` (`sqlite:PATH` or `postgres://…`), read through the store's own engine beside
    /// the running daemons.
    static func readStore(_ url: String) async throws -> StoreView {
        let store = try await Store(configuration: .init(location: try StoreLocation(url: url), instance: "harness"))
        func rows(_ table: String) async throws -> [[String: StoreValue]] {
            let table = StoreSchema.tables.first { $0.name == table }!
            return try await store.rows(of: table).map {
                Dictionary(uniqueKeysWithValues: zip(table.columns, $0))
            }
        }
        func statuses(_ rows: [[String: StoreValue]]) -> [String: String] {
            Dictionary(uniqueKeysWithValues: rows.map { ($0["payment_hash"]!.text, $0["status"]!.text) })
        }
        let invoices = statuses(try await rows("invoices"))
        let paid = Set(invoices.filter { $0.value == "paid" }.keys)
        let events = try await rows("events")
        // A settlement or a payment outcome is recorded once: the same event twice for one hash is a duplicate.
        var once: [String: Int] = [:]
        for event in events
        where ["invoice.paid", "payment.succeeded", "proof.transferred"].contains(event["type"]!.text) {
            let data =
                (try? JSONSerialization.jsonObject(with: Data(event["data"]!.text.utf8))) as? [String: Any] ?? [:]
            let subject = data["payment_hash"].map { "\($0)" } ?? "\(data["proof_id"] ?? "")#\(data["sequence"] ?? "")"
            once[event["type"]!.text + " " + subject, default: 0] += 1
        }
        let view = StoreView(
            invoices: invoices, payments: statuses(try await rows("payments")),
            proofs: Set(try await rows("proofs").map { $0["proof_id"]!.text }),
            pendingTransitionsWithPaidInvoice: try await rows("proof_transitions").filter {
                $0["state"]!.text == "pending" && paid.contains($0["payment_hash"]!.text)
            }.count,
            eventCount: events.count,
            eventMaxIndex: events.map { $0["idx"]!.integer }.max() ?? 0,
            duplicateEvents: once.filter { $0.value > 1 }.keys.sorted(),
            integrityOK: try await store.integrityCheck(),
            ledger: try await store.ledgerAudit())
        try await store.close()
        return view
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
            let holdings = try Row.fetchAll(
                database, sql: "SELECT pubkey, balance_msat - funded_msat AS net FROM nodes")
            return NetworkView(
                paidHashes: Set(paid), paidTwice: paidInvoices == paid.count ? [] : ["paid invoices != payments"],
                moneyConserved: integrity && balances + fees == funded,
                detail: "ledger: \(paid.count) payments, balances \(balances) + fees \(fees) = funded \(funded)",
                nodeHoldings: Dictionary(
                    uniqueKeysWithValues: holdings.map { ($0["pubkey"] as String, $0["net"] as Int64) }))
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

    /// Every broken invariant, as readable lines; empty when all hold. With `nodeKeys` (the payee's and the
    /// payer's public keys) each store's `@node` must equal what the network says that node gained since funding.
    static func violations(
        network: NetworkView, payee: StoreView, payer: StoreView, acknowledged: Acknowledged.Snapshot,
        nodeKeys: (payee: String, payer: String)? = nil
    ) -> [String] {
        var broken: [String] = []
        if !network.paidTwice.isEmpty { broken.append("paid twice: \(network.paidTwice)") }
        if !network.moneyConserved { broken.append("money not conserved: \(network.detail)") }
        let succeeded = Set(payer.payments.filter { $0.value == "succeeded" }.keys)
        // The payer's own invoices (an account's funding) are paid by the payee, not by the payer.
        let paidByPayer = network.paidHashes.subtracting(payer.invoices.keys)
        if succeeded != paidByPayer {
            broken.append(
                "payer's succeeded payments differ from the network's: only in store "
                    + "\(succeeded.subtracting(paidByPayer).sorted()), only in network "
                    + "\(paidByPayer.subtracting(succeeded).sorted())")
        }
        let pending = payer.payments.filter { $0.value == "pending" }.keys.sorted()
        if !pending.isEmpty { broken.append("payments still pending after reconciliation: \(pending)") }
        let paidInvoices = Set(payee.invoices.filter { $0.value == "paid" }.keys)
        // The payee's own invoices that one of its accounts paid: settled inside its ledger, canceled at the
        // network, so never also paid there.
        let settledInside = Set(payee.payments.filter { $0.value == "succeeded" }.keys).intersection(
            payee.invoices.keys)
        let paidBothWays = settledInside.intersection(network.paidHashes)
        if !paidBothWays.isEmpty { broken.append("paid inside and over Lightning: \(paidBothWays.sorted())") }
        let payeePending = payee.payments.filter { $0.value == "pending" }.keys.sorted()
        if !payeePending.isEmpty { broken.append("internal settlements still pending: \(payeePending)") }
        let settled = network.paidHashes.intersection(payee.invoices.keys).union(settledInside)
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
        for (name, store, key) in [("payee", payee, nodeKeys?.payee), ("payer", payer, nodeKeys?.payer)] {
            broken += ledgerViolations(
                of: store.ledger, name: name, networkHolding: key.flatMap { network.nodeHoldings[$0] })
            if Int64(store.eventCount) != store.eventMaxIndex {
                broken.append(
                    "\(name) event log has a gap: \(store.eventCount) events, last index \(store.eventMaxIndex)")
            }
            if !store.duplicateEvents.isEmpty { broken.append("\(name) duplicate events: \(store.duplicateEvents)") }
            if !store.integrityOK { broken.append("\(name) store fails PRAGMA integrity_check") }
        }
        return broken
    }

    /// A store's ledger problems: its audit not clean, or its `@node` not what the network says the node holds.
    private static func ledgerViolations(of audit: LedgerAudit, name: String, networkHolding: Int64?) -> [String] {
        var broken: [String] = []
        if !audit.isClean { broken.append("\(name) ledger audit not clean: \(audit)") }
        if let networkHolding, networkHolding != audit.nodeBalance {
            broken.append("\(name) @node is \(audit.nodeBalance) msat, the network says \(networkHolding)")
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
    /// How many invoices, payments and proofs were acknowledged: a measure of the load's progress.
    var count: Int { snapshot.invoices.count + snapshot.payments.count + snapshot.proofs.count }
}

extension StoreValue {
    /// The text, or "" (test convenience).
    fileprivate var text: String {
        if case .text(let text) = self { return text }
        return ""
    }

    /// The integer, or 0 (test convenience).
    fileprivate var integer: Int64 {
        if case .integer(let integer) = self { return integer }
        return 0
    }
}
