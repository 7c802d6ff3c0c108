import Lightning
import Store
import TestSupport
import Testing

@testable import Operations

/// The background audit's verdict and metrics: the node holding less than the accounts are owed is an alert.
@Suite struct LedgerAuditorTests {
    @Test func aNodeHoldingLessThanTheAccountsAreOwedDegradesTheLedgerAndCountsAFailure() async throws {
        try await DaemonHarness.run { harness in
            let metrics = DaemonMetrics()
            let auditor = LedgerAuditor(
                store: harness.store, backend: harness.backend, interval: .seconds(3_600), factory: metrics.factory)
            func lines() -> Set<String> { Set(metrics.registry.emitToString().split(separator: "\n").map(String.init)) }

            await auditor.auditNow()
            #expect(auditor.component.status == .ok)
            #expect(lines().isSuperset(of: ["t4gd_ledger_liabilities_msat 0.0", "t4gd_ledger_audit_failures_total 0"]))

            // user:1 is credited 2,000,000 sat while the scripted node reports 1,000,000 sat.
            _ = try await harness.store.createAccount(
                AccountRecord(
                    id: "user:1", name: nil, metadata: nil, limits: AccountLimits(), createdAt: 1,
                    requestFingerprint: "f"))
            let preimage = Preimage.random()
            _ = try await harness.store.createInvoice(
                InvoiceRecord(
                    paymentHash: preimage.paymentHash, bolt11: "lnbcrt1", label: nil,
                    amount: MilliSatoshi(2_000_000_000), description: "large", descriptionHash: nil,
                    expirySeconds: 3600, status: .open, createdAt: 1, expiresAt: 3601, preimage: preimage,
                    metadata: nil, requestFingerprint: "f", account: "user:1"))
            _ = try await harness.store.markInvoicePaid(
                preimage.paymentHash, amountReceived: MilliSatoshi(2_000_000_000), preimage: preimage, paidAt: 2,
                settleIndex: nil, event: { _ in NewEvent(type: "invoice.paid", at: 2, data: "{}") })

            await auditor.auditNow()
            #expect(auditor.component.status == .degraded)
            #expect(
                auditor.component.error
                    == "surplus_msat -1000000000: the node holds less than the accounts are owed")
            #expect(
                lines().isSuperset(of: [
                    "t4gd_ledger_surplus_msat -1000000000.0", "t4gd_ledger_liabilities_msat 2000000000.0",
                    "t4gd_ledger_node_msat 2000000000.0", "t4gd_ledger_audit_failures_total 1",
                ]), "\(lines().filter { $0.hasPrefix("t4gd_ledger") })")
        }
    }
}
