import BOLT11
import BareBaseline
import Glibc

/// One measured loop over the corpus: a codec operation or its bare baseline.
public enum Workload: String, CaseIterable, Sendable {
    case decode = "bolt11.decode"
    case decodeBare = "bolt11.decode.bare"
    case encode = "bolt11.encode"
    case encodeBare = "bolt11.encode.bare"

    /// The bare baseline of a codec workload, `nil` for a baseline itself.
    public var bare: Workload? {
        switch self {
        case .decode: .decodeBare
        case .encode: .encodeBare
        case .decodeBare, .encodeBare: nil
        }
    }

    /// Runs the operation once for every invoice of `corpus` (or of its `range`), on the calling thread.
    @inline(never)
    public func run(_ corpus: InvoiceCorpus, bare: BareSecp256k1, range: Range<Int>? = nil) {
        let entries = corpus.entries[range ?? corpus.entries.indices]
        switch self {
        case .decode:
            for entry in entries { consume(try! Invoice(bolt11: entry.bolt11).payee) }
        case .decodeBare:
            for entry in entries { consume(bare.recover(signedData: entry.signedData, signature: entry.signature)) }
        case .encode:
            for entry in entries { consume(try! entry.fields.encode(signingWith: entry.key)) }
        case .encodeBare:
            for entry in entries { consume(bare.sign(signedData: entry.signedData, secret: entry.secret)) }
        }
    }

    /// Runs this codec workload and its bare baseline over the corpus in alternating chunks of `chunk`
    /// invoices (the order flipping every chunk), so that other processes' load, which changes over
    /// tens of milliseconds, weighs on both alike. Returns thread CPU nanoseconds per invoice of each.
    public func pairedWithBare(
        _ corpus: InvoiceCorpus, bare: BareSecp256k1, chunk: Int = 250
    ) -> (codec: Double, bare: Double) {
        guard let baseline = self.bare else { preconditionFailure("\(rawValue) is a baseline") }
        var codecNanoseconds: UInt64 = 0
        var bareNanoseconds: UInt64 = 0
        for (number, start) in stride(from: 0, to: corpus.entries.count, by: chunk).enumerated() {
            let range = start..<min(start + chunk, corpus.entries.count)
            for workload in number % 2 == 0 ? [self, baseline] : [baseline, self] {
                let before = threadCPUTimeNanoseconds()
                workload.run(corpus, bare: bare, range: range)
                let spent = threadCPUTimeNanoseconds() - before
                if workload == self { codecNanoseconds += spent } else { bareNanoseconds += spent }
            }
        }
        let invoices = Double(corpus.entries.count)
        return (Double(codecNanoseconds) / invoices, Double(bareNanoseconds) / invoices)
    }
}

/// Keeps `value` alive so that the optimizer cannot drop the work that made it.
@inline(never)
@_optimize(none)
public func consume<T>(_ value: T) {}

/// CPU time consumed by the calling thread, in nanoseconds.
public func threadCPUTimeNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
