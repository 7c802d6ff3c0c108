import BOLT11
import BareBaseline
import BenchmarkSupport

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
        let count = corpus.entries.count
        func range(_ number: Int) -> Range<Int> { number * chunk..<min((number + 1) * chunk, count) }
        let (codecNanoseconds, bareNanoseconds) = pairedCPUTime(
            chunks: (count + chunk - 1) / chunk,
            measured: { run(corpus, bare: bare, range: range($0)) },
            bare: { baseline.run(corpus, bare: bare, range: range($0)) })
        let invoices = Double(count)
        return (Double(codecNanoseconds) / invoices, Double(bareNanoseconds) / invoices)
    }
}
