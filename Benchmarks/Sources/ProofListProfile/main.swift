// proof.list by `held_by` over a large store, against the same listing by `owner` (the indexed column that
// existed before) as its baseline, both measured in the same run, calls alternating.
//
//   .build-bench/release/ProofListProfile [PROOFS] [HOLDERS] [ROUNDS]
//
// Fills a fresh SQLite store (a temporary file, synchronous=NORMAL) with PROOFS proofs through the store's
// own write path (`applyProofChange`, which fills `proof_holders`): proof i is owned now by key i % HOLDERS
// and was owned before by key (i + 7) % HOLDERS, so every key held 2 × PROOFS / HOLDERS proofs and owns
// half of them. Then, ROUNDS times over every key, it lists the first page (50) by `held_by` and by `owner`,
// with `total`, and prints wall-clock milliseconds per call (median, p99, max) and the ratio of medians.
import BenchmarkSupport
import Foundation
import SQLiteStore
import StoreModel

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let proofCount = arguments.first ?? 100_000
let holderCount = arguments.dropFirst().first ?? 500
let rounds = arguments.dropFirst(2).first ?? 3

func key(_ index: Int) -> String { String(repeating: "0", count: 56) + String(format: "%08x", index) }

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("proof-list-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let store = try await SQLiteStore.open(
    configuration: .init(path: directory.appendingPathComponent("store.sqlite").path, fullSync: false))

// A document about the size of a real consignment with two transitions (~1.5 kB).
let document =
    "{\"genesis\":{}," + String(repeating: "\"x\":\"" + String(repeating: "ab", count: 64) + "\",", count: 10)
    + "\"end\":0}"
let fillStart = ContinuousClock.now
for index in 0..<proofCount {
    let record = ProofRecord(
        proofID: String(format: "%064x", index + 1), kind: "mentoring_session", issuer: key(999_999),
        owner: key(index % holderCount), status: "active", sequence: 1, origin: .issued, document: document,
        createdAt: 1_700_000_000 + Int64(index), updatedAt: 1_700_000_000 + Int64(index))
    _ = try await store.applyProofChange(
        ProofChange(record: record, expected: nil, event: nil, formerOwners: [key((index + 7) % holderCount)]))
}
print("filled \(proofCount) proofs, \(holderCount) holders in \(ContinuousClock.now - fillStart)")

func milliseconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
}

var heldBy: [Double] = []
var owner: [Double] = []
let expected = (held: Int64(2 * proofCount / holderCount), owned: Int64(proofCount / holderCount))
for round in 0..<rounds {
    for holder in 0..<holderCount {
        let heldFilter = ProofFilter(heldBy: key(holder))
        let ownerFilter = ProofFilter(owner: key(holder))
        func measureHeld() async throws {
            heldBy.append(
                try await milliseconds {
                    let page = try await store.proofs(heldFilter, limit: 50, cursor: nil)
                    precondition(page.items.count == 50 && page.total == expected.held, "held_by page")
                })
        }
        func measureOwner() async throws {
            owner.append(
                try await milliseconds {
                    let page = try await store.proofs(ownerFilter, limit: 50, cursor: nil)
                    precondition(page.items.count == 50 && page.total == expected.owned, "owner page")
                })
        }
        if (round + holder) % 2 == 0 {
            try await measureHeld()
            try await measureOwner()
        } else {
            try await measureOwner()
            try await measureHeld()
        }
    }
}
func summary(_ values: [Double]) -> String {
    let sorted = values.sorted()
    return String(
        format: "median %.3f ms, p99 %.3f ms, max %.3f ms (%d calls)", median(sorted),
        sorted[min(sorted.count - 1, sorted.count * 99 / 100)], sorted.last ?? 0, sorted.count)
}
print("held_by (page of 50, total \(expected.held)): \(summary(heldBy))")
print("owner   (page of 50, total \(expected.owned)), baseline: \(summary(owner))")
print(String(format: "ratio held_by / owner (medians): %.2f", median(heldBy) / median(owner)))
