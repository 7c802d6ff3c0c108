import BareBaseline
import Benchmark
import InvoiceCorpus

// Each iteration runs one workload over the whole corpus (10,000 invoices) on one thread; run.sh
// divides by the corpus size. Every codec benchmark has a `.bare` twin doing only the unavoidable
// cryptography (OpenSSL SHA-256 + one libsecp256k1 call per invoice) over the same invoices.
//
// The `.paired` benchmarks run the codec and its bare baseline in alternating chunks of 250 invoices
// in every iteration and record the ratio of their thread CPU times, so that load from other
// processes, which changes over tens of milliseconds, weighs on both sides of each ratio alike.

private let bare = BareSecp256k1()

/// Builds the corpus and checks it once per process, before any measurement.
private let preparedCorpus: InvoiceCorpus = {
    let corpus = InvoiceCorpus.shared
    corpus.validate(with: bare)
    return corpus
}()

/// Custom metrics of the paired benchmarks.
private enum PairedMetric {
    static let codec = BenchmarkMetric.custom("codec CPU ns/invoice", useScalingFactor: false)
    static let bare = BenchmarkMetric.custom("bare CPU ns/invoice", useScalingFactor: false)
    static let ratio = BenchmarkMetric.custom("codec/bare ratio x1000", useScalingFactor: false)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .milliseconds,
        warmupIterations: 2,
        maxDuration: .seconds(30),
        maxIterations: 15)
    let setup: Benchmark.BenchmarkSetupHook = {
        let lengths = preparedCorpus.lengthSummary
        print("corpus: \(preparedCorpus.entries.count) invoices, length min/median/max \(lengths)")
    }
    for workload in Workload.allCases {
        Benchmark(workload.rawValue, closure: { _ in workload.run(preparedCorpus, bare: bare) }, setup: setup)
    }
    for workload in Workload.allCases {
        guard workload.bare != nil else { continue }
        let configuration = Benchmark.Configuration(
            metrics: [.wallClock, .throughput, PairedMetric.codec, PairedMetric.bare, PairedMetric.ratio],
            timeUnits: .milliseconds, warmupIterations: 2, maxDuration: .seconds(60), maxIterations: 15)
        Benchmark(
            workload.rawValue + ".paired", configuration: configuration,
            closure: { benchmark in
                for _ in benchmark.scaledIterations {
                    let (codec, bare) = workload.pairedWithBare(preparedCorpus, bare: bare)
                    benchmark.measurement(PairedMetric.codec, Int(codec))
                    benchmark.measurement(PairedMetric.bare, Int(bare))
                    benchmark.measurement(PairedMetric.ratio, Int(codec / bare * 1000))
                }
            }, setup: setup)
    }
}
