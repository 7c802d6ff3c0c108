import BareBaseline
import Benchmark
import BenchmarkSupport
import ProofCorpus

// proof.issue: each iteration issues 100 proofs (five fields, system randomness) on one thread.
//
// proof.validate.N: each iteration validates a consignment of N transitions (N + 1 signatures) and, in
// alternating chunks of about 200 signatures, runs the bare baseline: one BIP340 verification
// (`secp256k1_xonly_pubkey_parse` + `secp256k1_schnorrsig_verify`) per signature the validator verifies.
// proof.validate.1000+10 validates the 1,010-transition chain from the tip of its first 1,000, so its
// baseline is the 10 new signatures. About 5,000 signatures per side and iteration; the ratio of thread
// CPU times is recorded per iteration.

private let bare = BareSecp256k1()

/// Builds the chains and checks every workload once per process, before any measurement.
private let workloads: [ProofWorkload] = {
    for workload in ProofWorkload.all { workload.check(bare: bare) }
    return ProofWorkload.all
}()

/// Custom metrics, per operation (one issue or one validation).
private enum ProofMetric {
    static let measured = BenchmarkMetric.custom("CPU ns/operation", useScalingFactor: false)
    static let bare = BenchmarkMetric.custom("bare CPU ns/operation", useScalingFactor: false)
    static let ratio = BenchmarkMetric.custom("ratio to bare x1000", useScalingFactor: false)
}

let benchmarks: @Sendable () -> Void = {
    for workload in workloads {
        let configuration = Benchmark.Configuration(
            metrics: [.wallClock, .throughput, .mallocCountTotal]
                + (workload.hasBare
                    ? [ProofMetric.measured, ProofMetric.bare, ProofMetric.ratio] : [ProofMetric.measured]),
            timeUnits: .milliseconds, warmupIterations: 2, maxDuration: .seconds(60), maxIterations: 15)
        Benchmark(workload.name, configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                guard workload.hasBare else {
                    let before = threadCPUTimeNanoseconds()
                    workload.run(workload.operationsPerChunk)
                    let spent = threadCPUTimeNanoseconds() - before
                    benchmark.measurement(ProofMetric.measured, Int(spent) / workload.operationsPerChunk)
                    continue
                }
                let chunks = max(2, 5000 / (workload.operationsPerChunk * workload.signatures.count))
                let (measured, bareTime) = workload.pairedWithBare(chunks: chunks, bare: bare)
                benchmark.measurement(ProofMetric.measured, Int(measured))
                benchmark.measurement(ProofMetric.bare, Int(bareTime))
                benchmark.measurement(ProofMetric.ratio, Int(measured / bareTime * 1000))
            }
        }
    }
}
