import Logging
import MetricsTestKit
import Rates
import Synchronization
import TestSupport
import Testing

/// The poller against real HTTP(S) price sources on 127.0.0.1: what each kind of source failure does to the
/// rate, and that the rate comes back with the sources.
@Suite struct RatePollerTests {
    let euro = Currency(code: "EUR")!

    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        let seconds = Mutex<Int64>(1_800_000_000)
        func advance(_ delta: Int64) { seconds.withLock { $0 += delta } }
        var now: @Sendable () -> Int64 { { self.seconds.withLock { $0 } } }
    }

    struct Harness {
        let book: RateBook
        let poller: RatePoller
        let metrics: TestMetrics
        let clock: ManualClock
    }

    /// Runs `body` with a harness over `sources` and shuts its poller down however `body` ends.
    func withHarness(
        _ sources: [RateSource], timeout: Duration = .seconds(5), _ body: (Harness) async throws -> Void
    ) async throws {
        let harness = try harness(sources, timeout: timeout)
        do {
            try await body(harness)
        } catch {
            await harness.poller.shutdown()
            throw error
        }
        await harness.poller.shutdown()
    }

    private func harness(_ sources: [RateSource], timeout: Duration) throws -> Harness {
        let clock = ManualClock()
        let metrics = TestMetrics()
        let policy = RatePolicy(maximumAgeSeconds: 300, minimumSources: 2, maximumSpreadBasisPoints: 200)
        let book = RateBook(
            sources: sources.map { (name: $0.name, currencies: $0.currencies) }, policy: policy,
            pollIntervalSeconds: 60, now: clock.now)
        let poller = try RatePoller(
            book: book, sources: sources, interval: .seconds(60), timeout: timeout, now: clock.now, factory: metrics,
            logger: Logger(label: "rates-test"))
        return Harness(book: book, poller: poller, metrics: metrics, clock: clock)
    }

    /// A Kraken-shaped source (price as a string inside an array).
    func kraken(_ server: HTTPStubServer, name: String = "kraken") -> RateSource {
        RateSource(
            name: name, url: server.url("/0/public/Ticker?pair=XBT{CURRENCY}"), path: "result.XXBTZ{CURRENCY}.c.0",
            currencies: [euro])
    }

    static func krakenBody(_ price: String) -> String {
        #"{"error":[],"result":{"XXBTZEUR":{"c":["\#(price)","0.1"]}}}"#
    }

    /// A CoinGecko-shaped source (price as a JSON number).
    func gecko(_ server: HTTPStubServer, name: String = "gecko", tls: Bool = false, caFile: String? = nil) -> RateSource
    {
        RateSource(
            name: name, url: server.url("/api/v3/simple/price?ids=bitcoin&vs_currencies={currency}", tls: tls),
            path: "bitcoin.{currency}", currencies: [euro], caFile: caFile)
    }

    static func geckoBody(_ price: String) -> String { #"{"bitcoin":{"eur":\#(price)}}"# }

    func uses(_ book: RateBook) -> [RateReport.Use] { book.report(for: euro)!.lines.map(\.use) }

    @Test func theMedianOfThreeAndALiarOutvoted() async throws {
        let a = try await HTTPStubServer(reply: .json(Self.krakenBody("85000.5")))
        let b = try await HTTPStubServer(reply: .json(Self.geckoBody("85100")))
        let c = try await HTTPStubServer(reply: .json(Self.krakenBody("84990")))
        try await withHarness([kraken(a), gecko(b), kraken(c, name: "kraken2")]) { h async throws in
            await h.poller.pollOnce()
            #expect(try h.book.rate(for: euro).rate == ExactDecimal("85000.5"))
            #expect(try h.book.rate(for: euro).sources == ["kraken", "gecko", "kraken2"])
            b.answer(.json(Self.geckoBody("1")))
            await h.poller.pollOnce()
            #expect(try h.book.rate(for: euro).rate == ExactDecimal("84995.25"))
            #expect(uses(h.book) == [.used, .outlier, .used])
            for server in [a, b, c] { await server.close() }
        }
    }

    @Test func downSlowAndGarbageSourcesAreSkippedAndCounted() async throws {
        let good = try await HTTPStubServer(reply: .json(Self.krakenBody("85000")))
        let good2 = try await HTTPStubServer(reply: .json(Self.geckoBody("85010")))
        let down = try await HTTPStubServer(reply: .status(200))
        await down.close()
        // The deadline (3 s) leaves a loaded machine time to answer the good sources; the slow one takes 20 s.
        let slow = try await HTTPStubServer(reply: .delayed(.seconds(20), .json(Self.geckoBody("85000"))))
        let garbage = try await HTTPStubServer(reply: .json("<html>rate limited</html>"))
        let negative = try await HTTPStubServer(reply: .json(Self.geckoBody("-85000")))
        let zero = try await HTTPStubServer(reply: .json(Self.krakenBody("0")))
        let failing = try await HTTPStubServer(reply: .status(503))
        try await withHarness(
            [
                kraken(good), gecko(good2, name: "gecko2"), kraken(down, name: "down"), gecko(slow, name: "slow"),
                gecko(garbage, name: "garbage"), gecko(negative, name: "negative"), kraken(zero, name: "zero"),
                gecko(failing, name: "failing"),
            ], timeout: .seconds(3)
        ) { h async throws in
            await h.poller.pollOnce()
            #expect(try h.book.rate(for: euro).rate == ExactDecimal("85005"))
            let report = h.book.report(for: euro)!
            #expect(report.lines.map(\.use) == [.used, .used, .failed, .failed, .failed, .failed, .failed, .failed])
            #expect(
                report.lines.map { $0.failure?.reason } == [
                    nil, nil, "unreachable", "timeout", "the answer is not JSON",
                    "the value at bitcoin.eur is not a non-negative number", "a zero or implausible price", "HTTP 503",
                ])
            func failures(_ source: String, _ reason: String) throws -> Int64 {
                try h.metrics.expectCounter(
                    "t4gd_rate_source_failures_total", [("source", source), ("reason", reason)]
                )
                .totalValue
            }
            #expect(try failures("down", "unreachable") == 1)
            #expect(try failures("slow", "timeout") == 1)
            #expect(try failures("garbage", "bad_answer") == 1)
            #expect(try failures("failing", "bad_answer") == 1)
            for server in [good, good2, slow, garbage, negative, zero, failing] { await server.close() }
        }
    }

    @Test func staleQuotesMakeNoRateUntilTheSourcesComeBack() async throws {
        let a = try await HTTPStubServer(reply: .json(Self.krakenBody("85000")))
        let b = try await HTTPStubServer(reply: .json(Self.geckoBody("85000")))
        try await withHarness([kraken(a), gecko(b)]) { h async throws in
            await h.poller.pollOnce()
            #expect(try h.book.rate(for: euro).rate == ExactDecimal("85000"))
            a.answer(.status(502))
            b.answer(.status(502))
            h.clock.advance(301)
            await h.poller.pollOnce()
            let error = try #require(throws: RateBook.Unavailable.self) { try h.book.rate(for: euro) }
            #expect(error.reason == "0 of 2 sources have a fresh quote; 2 needed")
            #expect(error.retryAfterSeconds == 60)
            #expect(uses(h.book) == [.failed, .failed])
            a.answer(.json(Self.krakenBody("86000")))
            b.answer(.json(Self.geckoBody("86100")))
            await h.poller.pollOnce()
            #expect(try h.book.rate(for: euro).rate == ExactDecimal("86050"))
            await a.close()
            await b.close()
        }
    }

    @Test func disagreementPastTheSpreadMakesNoRate() async throws {
        let a = try await HTTPStubServer(reply: .json(Self.krakenBody("85000")))
        let b = try await HTTPStubServer(reply: .json(Self.geckoBody("95000")))
        try await withHarness([kraken(a), gecko(b)]) { h async throws in
            await h.poller.pollOnce()
            let error = try #require(throws: RateBook.Unavailable.self) { try h.book.rate(for: euro) }
            #expect(error.reason == "the sources disagree by more than 200 basis points")
            await a.close()
            await b.close()
        }
    }

    @Test func aSourceOverTLSWithItsOwnCA() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try TestCertificates(in: directory)
        let secure = try await HTTPStubServer(
            reply: .json(Self.geckoBody("85000")), tls: try certificates.serverConfiguration())
        let plain = try await HTTPStubServer(reply: .json(Self.krakenBody("85000")))
        // Trusting the right CA, the TLS source counts; trusting the system's store, it fails.
        try await withHarness([gecko(secure, tls: true, caFile: certificates.caFile), kraken(plain)]) {
            trusted async throws in
            await trusted.poller.pollOnce()
            #expect(uses(trusted.book) == [.used, .used])
        }
        try await withHarness([gecko(secure, tls: true), kraken(plain)]) { untrusted async throws in
            await untrusted.poller.pollOnce()
            #expect(uses(untrusted.book) == [.failed, .insufficient])
        }
        await secure.close()
        await plain.close()
    }
}
