import BareBaseline
import BenchmarkSupport
import Foundation
import ProofCorpus

// Runs the proof workloads outside the benchmark harness, for profilers and for A/B checks on a busy
// machine:
//
//   ProofProfile WORKLOAD [OPERATIONS]        WORKLOAD OPERATIONS times (default 100)
//   ProofProfile WORKLOAD.bare [OPERATIONS]   its bare baseline (BIP340 verifications) OPERATIONS times
//   ProofProfile paired [ROUNDS]              each validation and its bare baseline in alternating
//                                             chunks, ROUNDS times; the ratio of thread CPU time per round
//
// WORKLOAD is proof.issue, proof.validate.{1,100,1000} or proof.validate.1000+10. Operations run inside
// `t4g_bench_passes`, so that callgrind can count only them:
//   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=t4g_bench_passes ProofProfile ...

let bare = BareSecp256k1()

/// Runs `workload` (or its bare baseline) `count` times.
@inline(never)
@_silgen_name("t4g_bench_passes")
func benchPasses(_ workload: ProofWorkload, bare isBare: Bool, _ count: Int) {
    if isBare { workload.runBare(count, bare: bare) } else { workload.run(count) }
}

let arguments = CommandLine.arguments
let usage =
    "usage: ProofProfile {\(ProofWorkload.all.map(\.name).joined(separator: "|"))}[.bare] [OPERATIONS]"
    + "\n       ProofProfile paired [ROUNDS]"
guard arguments.count >= 2 else {
    print(usage)
    exit(2)
}
for workload in ProofWorkload.all { workload.check(bare: bare) }
if arguments[1] == "paired" {
    let rounds = arguments.count >= 3 ? Int(arguments[2]) ?? 9 : 9
    print("\(rounds) rounds; each: validation and bare BIP340 verifications alternating, about 5,000 signatures")
    print("per side; thread CPU µs per validation (medians over rounds) and the validation/bare ratio per round")
    print("| workload               | sigs | validate µs | bare µs | µs/sig | ratio median | min   | max   |")
    print("|------------------------|------|-------------|---------|--------|--------------|-------|-------|")
    for workload in ProofWorkload.all where workload.hasBare {
        let chunks = max(2, 5000 / (workload.operationsPerChunk * workload.signatures.count))
        _ = workload.pairedWithBare(chunks: chunks, bare: bare)  // warm-up
        let results = (0..<rounds).map { _ in workload.pairedWithBare(chunks: chunks, bare: bare) }
        let ratios = results.map { $0.measured / $0.bare }
        let validation = median(results.map(\.measured)) / 1000
        let numbers = String(
            format: "%4d | %11.1f | %7.1f | %6.2f | %12.3f | %5.3f | %5.3f", workload.signatures.count, validation,
            median(results.map(\.bare)) / 1000, validation / Double(workload.signatures.count), median(ratios),
            ratios.min()!, ratios.max()!)
        print("| \(workload.name.padding(toLength: 22, withPad: " ", startingAt: 0)) | \(numbers) |")
    }
} else {
    let isBare = arguments[1].hasSuffix(".bare")
    let name = isBare ? String(arguments[1].dropLast(5)) : arguments[1]
    guard let workload = ProofWorkload.named(name), !isBare || workload.hasBare else {
        print(usage)
        exit(2)
    }
    let count = arguments.count >= 3 ? Int(arguments[2]) ?? 100 : 100
    let elapsed = ContinuousClock().measure { benchPasses(workload, bare: isBare, count) }
    print("\(arguments[1]): \(count) operation(s), \(elapsed / count) per operation")
}
