import Lightning
import Synchronization

/// How long a dev payment stays in flight before the ledger settles it, so that the timeout-to-pending and
/// reconciliation paths can be exercised on the default backend as on a real network.
public enum DevPaymentLatency: Sendable, Hashable {
    /// Settled at once (the default).
    case none
    /// In flight for a delay drawn uniformly from `milliseconds` (a real network: about 1 000...60 000).
    case uniform(milliseconds: ClosedRange<Int64>)
    /// In flight until ``DevBackend/release(_:)`` or ``DevBackend/releaseAll()``; lost with the process, so
    /// a restart finds the payment never sent.
    case hold

    /// Parses `none`, `hold`, `MS` or `MIN-MAX` (milliseconds); `nil` for anything else.
    public init?(_ text: String) {
        switch text {
        case "none": self = .none
        case "hold": self = .hold
        default:
            let bounds = text.split(separator: "-", omittingEmptySubsequences: false).map { Int64($0) }
            guard (1...2).contains(bounds.count), let low = bounds.first ?? nil, let high = bounds.last ?? nil,
                0 <= low, low <= high, high <= 3_600_000
            else { return nil }
            self = .uniform(milliseconds: low...high)
        }
    }
}

/// Dev payments in flight: each waits for its delay or its release, then settles in the ledger.
final class DevPaymentsInFlight: Sendable {
    private let releases = Mutex<[PaymentHash: AsyncStream<Void>.Continuation]>([:])

    /// Registers `hash` as in flight; the stream ends when it is released.
    ///
    /// - Throws: `inFlight` when a payment to `hash` is already in flight.
    func begin(_ hash: PaymentHash) throws(BackendError) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let added = releases.withLock { releases in
            guard releases[hash] == nil else { return false }
            releases[hash] = continuation
            return true
        }
        guard added else { throw BackendError(.inFlight, "a payment to this invoice is in flight") }
        return stream
    }

    /// Whether a payment to `hash` is in flight.
    func contains(_ hash: PaymentHash) -> Bool { releases.withLock { $0[hash] != nil } }

    /// Lets the payment to `hash` settle now.
    func release(_ hash: PaymentHash) { _ = releases.withLock { $0[hash] }?.finish() }

    /// Lets every payment in flight settle now.
    func releaseAll() { releases.withLock { Array($0.values) }.forEach { $0.finish() } }

    /// The payment to `hash` settled (or failed) in the ledger.
    func end(_ hash: PaymentHash) { releases.withLock { $0[hash] = nil } }
}

extension DevBackend {
    /// Pays after the configured ``DevPaymentLatency``: `.pending` when `request.timeoutSeconds` pass first
    /// (the payment still settles when its latency is over), `inFlight` for a second payment meanwhile.
    public func pay(_ request: PaymentRequest) async throws(BackendError) -> PaymentOutcome {
        let latency = configuration.paymentLatency
        guard latency != .none, let hash = PaymentHash(bytes: request.invoice.fields.paymentHash) else {
            return try await payNow(request)
        }
        let released = try inFlight.begin(hash)
        let payment = Task { [self] () async -> Result<PaymentOutcome, BackendError> in
            switch latency {
            case .uniform(let milliseconds):
                try? await Task.sleep(for: .milliseconds(Int64.random(in: milliseconds)))
            case .hold:
                for await _ in released {}
            case .none:
                break
            }
            defer { inFlight.end(hash) }
            do throws(BackendError) {
                return .success(try await payNow(request))
            } catch {
                return .failure(error)
            }
        }
        // The first of the payment's end and the caller's timeout; the payment goes on after a timeout (a task
        // group would wait for it, as an unstructured task's value cannot be cancelled).
        let wait = Duration.seconds(Int64(clamping: request.timeoutSeconds))
        let (ends, end) = AsyncStream<Result<PaymentOutcome, BackendError>?>.makeStream()
        let timer = Task {
            try? await Task.sleep(for: wait)
            end.yield(nil)
        }
        Task { end.yield(await payment.value) }
        var first = ends.makeAsyncIterator()
        let outcome = await first.next() ?? nil
        timer.cancel()
        end.finish()
        guard let outcome else { return .pending }
        return try outcome.get()
    }

    /// `.pending` while a payment to `paymentHash` is in flight, else what the ledger says.
    public func payment(for paymentHash: PaymentHash) async throws(BackendError) -> PaymentOutcome? {
        if inFlight.contains(paymentHash) { return .pending }
        return try await ledgerPayment(for: paymentHash)
    }

    /// Lets the held payment to `paymentHash` settle now (``DevPaymentLatency/hold``).
    public func release(_ paymentHash: PaymentHash) { inFlight.release(paymentHash) }

    /// Lets every held payment settle now.
    public func releaseAll() { inFlight.releaseAll() }
}
