import Rates
import Testing

@Suite struct RateReportTests {
    let euro = Currency(code: "EUR")!
    let policy = RatePolicy(maximumAgeSeconds: 300, minimumSources: 2, maximumSpreadBasisPoints: 200)
    let now: Int64 = 1_800_000_000

    func record(_ price: String?, age: Int64 = 10, failure: String? = nil) -> SourceRecord {
        var record = SourceRecord()
        record.quote = price.flatMap { RateQuote(price: ExactDecimal($0)!, fetchedAt: now - age) }
        record.failure = failure.map { .init(reason: $0, at: now) }
        return record
    }

    func report(_ records: [(String, SourceRecord)]) -> RateReport {
        RateReport(currency: euro, records: records.map { (source: $0.0, record: $0.1) }, policy: policy, now: now)
    }

    @Test func theMedianOfThree() {
        let report = report([("a", record("85000")), ("b", record("85100")), ("c", record("84950"))])
        #expect(report.rate == ExactDecimal("85000"))
        #expect(report.sourcesUsed == ["a", "b", "c"])
        #expect(report.at == now - 10)
    }

    @Test func aLiarIsOutvoted() {
        let report = report([("a", record("85000")), ("liar", record("8500")), ("c", record("85100"))])
        #expect(report.rate == ExactDecimal("85050"))
        #expect(report.sourcesUsed == ["a", "c"])
        #expect(report.lines.map(\.use) == [.used, .outlier, .used])
    }

    @Test func oneDownStillMakesARate() {
        let report = report([
            ("a", record("85000")), ("down", record(nil, failure: "unreachable")), ("c", record("85200")),
        ])
        #expect(report.rate == ExactDecimal("85100"))
        #expect(report.lines.map(\.use) == [.used, .failed, .used])
    }

    @Test func staleQuotesMakeNoRate() {
        let report = report([("a", record("85000", age: 301)), ("b", record("85000", age: 900)), ("c", record(nil))])
        #expect(report.rate == nil)
        #expect(report.unavailableReason == "0 of 3 sources have a fresh quote; 2 needed")
        #expect(report.lines.map(\.use) == [.stale, .stale, .missing])
    }

    @Test func disagreementPastTheSpreadMakesNoRate() {
        let report = report([("a", record("85000")), ("b", record("90000"))])
        #expect(report.rate == nil)
        #expect(report.unavailableReason == "the sources disagree by more than 200 basis points")
        #expect(report.lines.map(\.use) == [.outlier, .outlier])
    }

    @Test func theSpreadBoundIsInclusive() {
        // 2 % of the median 100 is 2: 98 and 102 both lie exactly on the bound.
        let report = report([("a", record("98")), ("b", record("100")), ("c", record("102"))])
        #expect(report.sourcesUsed == ["a", "b", "c"])
        let outside = self.report([("a", record("97.99")), ("b", record("100")), ("c", record("102"))])
        #expect(outside.sourcesUsed == ["b", "c"])
    }

    @Test func aStaleQuoteOfAFailingSourceIsFailed() {
        let report = report([("a", record("85000", age: 400, failure: "timeout")), ("b", record("85000"))])
        #expect(report.lines.map(\.use) == [.failed, .insufficient])
        #expect(report.rate == nil)
    }

    @Test func quotesRefuseZeroAndImplausiblePrices() {
        #expect(RateQuote(price: ExactDecimal("0")!, fetchedAt: 0) == nil)
        #expect(RateQuote(price: ExactDecimal("1000000000001")!, fetchedAt: 0) == nil)
        #expect(RateQuote(price: ExactDecimal("85000.123456789")!, fetchedAt: 0)?.price == ExactDecimal("85000.123456"))
    }
}
