import CoreMetrics
import Lightning
import Store

/// Wraps a Lightning backend with latency histograms per operation and error counters per operation and
/// error code (`t4gd_backend_request_duration_seconds`, `t4gd_backend_errors_total`).
package struct MeteredBackend: LightningBackend {
    private struct ErrorKey: Hashable, Sendable {
        let operation: String
        let code: String
    }

    let base: any LightningBackend
    private let latency: MetricTable<String, Timer>
    private let errors: MetricTable<ErrorKey, Counter>

    package init(_ base: any LightningBackend, factory: any MetricsFactory) {
        self.base = base
        let kind = base.kind
        latency = MetricTable { operation in
            Timer(
                label: "t4gd_backend_request_duration_seconds",
                dimensions: [("backend", kind), ("operation", operation)], factory: factory)
        }
        errors = MetricTable { key in
            Counter(
                label: "t4gd_backend_errors_total",
                dimensions: [("backend", kind), ("operation", key.operation), ("code", key.code)], factory: factory)
        }
    }

    package var kind: String { base.kind }

    package func nodeInfo() async throws(BackendError) -> NodeInfo {
        try await measure("node_info") { () throws(BackendError) in try await base.nodeInfo() }
    }

    package func channels() async throws(BackendError) -> [ChannelInfo] {
        try await measure("channels") { () throws(BackendError) in try await base.channels() }
    }

    package func balance() async throws(BackendError) -> WalletBalance {
        try await measure("balance") { () throws(BackendError) in try await base.balance() }
    }

    package func createInvoice(_ request: InvoiceRequest) async throws(BackendError) -> CreatedInvoice {
        try await measure("create_invoice") { () throws(BackendError) in try await base.createInvoice(request) }
    }

    package func invoice(for paymentHash: PaymentHash) async throws(BackendError) -> InvoiceState {
        try await measure("invoice") { () throws(BackendError) in try await base.invoice(for: paymentHash) }
    }

    package func cancelInvoice(_ paymentHash: PaymentHash) async throws(BackendError) {
        try await measure("cancel_invoice") { () throws(BackendError) in try await base.cancelInvoice(paymentHash) }
    }

    package func pay(_ request: PaymentRequest) async throws(BackendError) -> PaymentOutcome {
        try await measure("pay") { () throws(BackendError) in try await base.pay(request) }
    }

    package func payment(for paymentHash: PaymentHash) async throws(BackendError) -> PaymentOutcome? {
        try await measure("payment") { () throws(BackendError) in try await base.payment(for: paymentHash) }
    }

    /// A long-lived stream: not a request, so not timed.
    package func settlements(after settleIndex: UInt64) -> AsyncThrowingStream<InvoiceSettlement, any Error> {
        base.settlements(after: settleIndex)
    }

    package func shutdown() async {
        await base.shutdown()
    }

    private func measure<T>(
        _ operation: String, _ body: () async throws(BackendError) -> T
    ) async throws(BackendError) -> T {
        let start = ContinuousClock.now
        defer { latency[operation].recordNanoseconds((ContinuousClock.now - start).nanoseconds) }
        do {
            return try await body()
        } catch {
            errors[ErrorKey(operation: operation, code: error.code.name)].increment()
            throw error
        }
    }
}
