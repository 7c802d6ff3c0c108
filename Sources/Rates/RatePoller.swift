import AsyncHTTPClient
import BackendHTTP
import CoreMetrics
import Foundation
import Logging
import NIOSSL
import ServiceLifecycle

/// Polls every rate source for every currency it quotes, on a schedule and never on a request's path, and
/// records each answer or failure in a ``RateBook``. A source that is slow (past `timeout`), down, or answers
/// garbage is recorded as failed and counted in `t4gd_rate_source_failures_total{source,reason}`.
public struct RatePoller: Service {
    private let book: RateBook
    private let sources: [(source: RateSource, client: BackendHTTPClient)]
    private let interval: Duration
    private let timeout: Duration
    private let now: @Sendable () -> Int64
    private let factory: any MetricsFactory
    private let logger: Logger

    /// A poller of `sources` into `book`.
    ///
    /// - Throws: when a source's `ca_file` cannot be read. Call ``shutdown()`` if ``run()`` is never called.
    public init(
        book: RateBook, sources: [RateSource], interval: Duration, timeout: Duration,
        now: @escaping @Sendable () -> Int64, factory: any MetricsFactory, logger: Logger
    ) throws {
        // Every CA file is read before any client exists, so a bad one leaves no client to shut down.
        let tls = try sources.map { source in
            try source.caFile.map { caFile in
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
                return configuration
            }
        }
        self.sources = zip(sources, tls).map { source, tls in
            (source, BackendHTTPClient(connectTimeout: timeout, tls: tls, logger: logger))
        }
        self.book = book
        self.interval = interval
        self.timeout = timeout
        self.now = now
        self.factory = factory
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pollOnce()
                try? await Task.sleep(for: interval)
            }
        }
        await shutdown()
    }

    /// Closes the HTTP clients; ``run()`` does it when it ends. A poller that never runs must be shut down.
    public func shutdown() async {
        for (_, client) in sources { await client.shutdown() }
    }

    /// Asks every source for every currency it quotes, all at once, and records the answers.
    public func pollOnce() async {
        await withTaskGroup(of: Void.self) { group in
            for (source, client) in sources {
                for currency in source.currencies {
                    group.addTask { await poll(source, currency, client) }
                }
            }
        }
    }

    private func poll(_ source: RateSource, _ currency: Currency, _ client: BackendHTTPClient) async {
        do {
            var request = HTTPClientRequest(url: source.url(for: currency))
            request.headers.add(name: "Accept", value: "application/json")
            let (status, body) = try await client.exchange(request, timeout: timeout)
            guard status == 200 else { throw FetchProblem(reason: "HTTP \(status)") }
            let price = try source.price(in: body, for: currency)
            guard let quote = RateQuote(price: price, fetchedAt: now()) else {
                throw FetchProblem(reason: "a zero or implausible price")
            }
            book.record(quote, source: source.name, currency: currency)
        } catch {
            let reason =
                switch error {
                case let problem as FetchProblem: problem.reason
                case let problem as RateSource.AnswerProblem: problem.description
                default: Self.isTimeout(error) ? "timeout" : "unreachable"
                }
            book.recordFailure(reason, source: source.name, currency: currency)
            Counter(
                label: "t4gd_rate_source_failures_total",
                dimensions: [("source", source.name), ("reason", Self.metricReason(error))], factory: factory
            ).increment()
            logger.warning(
                "rate source failed",
                metadata: ["source": "\(source.name)", "currency": "\(currency.code)", "reason": "\(reason)"])
        }
    }

    private struct FetchProblem: Error {
        let reason: String
    }

    /// A bounded label for the failure metric.
    private static func metricReason(_ error: any Error) -> String {
        switch error {
        case is FetchProblem, is RateSource.AnswerProblem: "bad_answer"
        default: isTimeout(error) ? "timeout" : "unreachable"
        }
    }

    /// Whether the source took too long: our deadline, or AsyncHTTPClient's own for the request or connect.
    private static func isTimeout(_ error: any Error) -> Bool {
        if error is DeadlineExceeded { return true }
        guard let error = error as? HTTPClientError else { return false }
        return [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error)
    }
}
