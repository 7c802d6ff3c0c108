import Foundation
import JSONRPC
import TestSupport

/// The model of ``ReplayModelTests``: a random sequence of logical writes between a payee (invoices, proofs)
/// and a payer (payments), each call repeated in a random way, and what the final state must be if every
/// logical write happened exactly once.
struct ReplayModel {
    /// One logical write.
    enum Operation: Sendable {
        /// The payee invoices `amount` under `label` (expiring in `expiry` seconds), the payer pays it under `key`.
        case sale(label: String, amount: Int64, expiry: Int64, key: String)
        /// The payee issues a proof to `owner` under `key`.
        case issue(owner: String, key: String)
        /// The payee transfers the `proof`-th issued proof to `to` under `key`.
        case transfer(proof: Int, to: String, key: String)
    }

    /// How a call is repeated.
    enum Repetition: String, Sendable, CaseIterable {
        case once, atOnce, concurrently, afterDisconnect, afterExpiry, afterPayeeKill, afterPayerKill
    }

    /// Which daemon a call goes to.
    enum Side: Sendable { case payee, payer }

    let operations: [Operation]
    /// One repetition per call, in call order (a sale makes two calls).
    let repetitions: [Repetition]

    /// A random model of `count` operations.
    init(count: Int, generator: inout SeededGenerator) {
        var operations: [Operation] = []
        var issued = 0
        for index in 0..<count {
            switch Int.random(in: 0..<3, using: &generator) {
            case 0 where issued > 0:
                let proof = Int.random(in: 0..<issued, using: &generator)
                operations.append(.transfer(proof: proof, to: "account:holder-\(index)", key: "transfer-\(index)"))
            case 1:
                operations.append(.issue(owner: "account:owner-\(index)", key: "issue-\(index)"))
                issued += 1
            default:
                operations.append(
                    .sale(
                        label: "sale-\(index)", amount: Int64.random(in: 1...500, using: &generator) * 1000,
                        expiry: 600, key: "pay-\(index)"))
            }
        }
        var repetitions: [Repetition] = []
        var shortLived: [Operation] = []
        for operation in operations {
            let calls = if case .sale = operation { 2 } else { 1 }
            for call in 0..<calls {
                var repetition = Repetition.allCases.randomElement(using: &generator) ?? .once
                if repetition == .afterExpiry, call != 1 { repetition = .atOnce }
                repetitions.append(repetition)
            }
            if case .sale(let label, let amount, _, let key) = operation, repetitions.last == .afterExpiry {
                // Invoiced once, so the two-second invoice is still open when it is paid.
                repetitions[repetitions.count - 2] = .once
                shortLived.append(.sale(label: label, amount: amount, expiry: 2, key: key))
            } else {
                shortLived.append(operation)
            }
        }
        self.operations = shortLived
        self.repetitions = repetitions
    }

    /// What the stores, the ledger and the event logs must hold at the end.
    struct Expected: Equatable, CustomStringConvertible {
        var invoicesPaid = 0
        var paymentsSucceeded = 0
        var payeeBalance: Int64 = 1_000_000_000
        var payerBalance: Int64 = 1_000_000_000
        /// Per issued proof: its owner and sequence.
        var proofs: [String] = []
        var payeeEvents: [String: Int] = [:]
        var payerEvents: [String: Int] = [:]

        var description: String {
            "paid \(invoicesPaid) sent \(paymentsSucceeded) balances \(payeeBalance)/\(payerBalance) proofs \(proofs)"
                + " events \(payeeEvents.sorted { $0.key < $1.key }) \(payerEvents.sorted { $0.key < $1.key })"
        }
    }

    /// The state after every operation done once (dev network fees: 1000 msat + 1000 ppm).
    var expected: Expected {
        var expected = Expected()
        var owners: [(owner: String, sequence: Int)] = []
        for operation in operations {
            switch operation {
            case .sale(_, let amount, _, _):
                expected.invoicesPaid += 1
                expected.paymentsSucceeded += 1
                expected.payeeBalance += amount
                expected.payerBalance -= amount + 1000 + amount / 1000
                expected.payeeEvents["invoice.paid", default: 0] += 1
                expected.payerEvents["payment.succeeded", default: 0] += 1
            case .issue(let owner, _):
                owners.append((owner, 0))
                expected.payeeEvents["proof.created", default: 0] += 1
            case .transfer(let proof, let to, _):
                owners[proof] = (to, owners[proof].sequence + 1)
                expected.payeeEvents["proof.transferred", default: 0] += 1
            }
        }
        expected.proofs = owners.map { "\($0.owner)#\($0.sequence)" }.sorted()
        return expected
    }
}
