import BareBaseline
import BenchmarkSupport
import Foundation
import InvoiceCorpus

// Runs workloads over the corpus outside the benchmark harness, for profilers and for A/B checks on
// a busy machine:
//
//   BOLT11Profile WORKLOAD [PASSES [INVOICES]]   one workload, PASSES times
//   BOLT11Profile paired [ROUNDS]                 each codec workload and its bare baseline in
//                                                 alternating chunks, ROUNDS times; the codec/bare
//                                                 ratio of thread CPU time per round
//
// WORKLOAD is one of bolt11.decode, bolt11.decode.bare, bolt11.encode, bolt11.encode.bare; INVOICES
// (default: the benchmarks' 10,000) takes the first invoices of the same corpus. Passes run inside
// `t4g_bench_passes`, so that callgrind can count only them:
//   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=t4g_bench_passes BOLT11Profile ...

enum Profile {
    static let bare = BareSecp256k1()
    static let corpus: InvoiceCorpus = {
        let arguments = CommandLine.arguments
        let count =
            arguments.count >= 4 && arguments[1] != "paired"
            ? Int(arguments[3]) ?? InvoiceCorpus.count : InvoiceCorpus.count
        let corpus =
            count == InvoiceCorpus.count ? InvoiceCorpus.shared : InvoiceCorpus(count: count, seed: InvoiceCorpus.seed)
        corpus.validate(with: bare)
        return corpus
    }()
}

/// Runs the workload at `index` in `Workload.allCases` `count` times over the corpus.
@inline(never)
@_silgen_name("t4g_bench_passes")
func benchPasses(_ index: Int, _ count: Int) {
    for _ in 0..<count { Workload.allCases[index].run(Profile.corpus, bare: Profile.bare) }
}

let arguments = CommandLine.arguments
let usage =
    "usage: BOLT11Profile {\(Workload.allCases.map(\.rawValue).joined(separator: "|"))} [PASSES [INVOICES]]"
    + "\n       BOLT11Profile paired [ROUNDS]"
guard arguments.count >= 2 else {
    print(usage)
    exit(2)
}
let invoices = Double(Profile.corpus.entries.count)
if arguments[1] == "paired" {
    let rounds = arguments.count >= 3 ? Int(arguments[2]) ?? 9 : 9
    print("\(rounds) rounds over \(Int(invoices)) invoices, codec and bare in alternating chunks of 250;")
    print("thread CPU µs per invoice (medians over rounds) and the codec/bare ratio of each round")
    print("| workload      | codec µs | bare µs | ratio median | ratio min | ratio max |")
    print("|---------------|----------|---------|--------------|-----------|-----------|")
    for workload in Workload.allCases where workload.bare != nil {
        _ = workload.pairedWithBare(Profile.corpus, bare: Profile.bare)  // warm-up
        let results = (0..<rounds).map { _ in workload.pairedWithBare(Profile.corpus, bare: Profile.bare) }
        let ratios = results.map { $0.codec / $0.bare }
        let name = workload.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
        let numbers = String(
            format: "%8.2f | %7.2f | %12.3f | %9.3f | %9.3f", median(results.map(\.codec)) / 1000,
            median(results.map(\.bare)) / 1000, median(ratios), ratios.min()!, ratios.max()!)
        print("| \(name) | \(numbers) |")
    }
} else {
    guard let index = Workload.allCases.firstIndex(where: { $0.rawValue == arguments[1] }) else {
        print(usage)
        exit(2)
    }
    let passes = arguments.count >= 3 ? Int(arguments[2]) ?? 1 : 1
    let elapsed = ContinuousClock().measure { benchPasses(index, passes) }
    let perInvoice = elapsed / (passes * Int(invoices))
    print("\(arguments[1]): \(passes) pass(es) over \(Int(invoices)) invoices, \(perInvoice) per invoice")
}
