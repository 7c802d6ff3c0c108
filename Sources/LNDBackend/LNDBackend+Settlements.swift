import Lightning

extension LNDBackend {
    /// Settled invoices after `settleIndex`, in LND's settle order, from SubscribeInvoices
    /// (`GET /v1/invoices/subscribe?settle_index=N`, which first replays settlements after N, then goes live).
    ///
    /// LND replays nothing for `settle_index=0`, so for 0 the settled invoices are listed with ListInvoices
    /// (every second until there is one) and the subscription starts after the highest of them. The stream ends, throwing
    /// `unavailable`, when the connection is lost; the caller resumes after the last index it stored.
    public func settlements(after settleIndex: UInt64) -> AsyncThrowingStream<InvoiceSettlement, any Error> {
        let (stream, continuation) = AsyncThrowingStream<InvoiceSettlement, any Error>.makeStream()
        let task = Task { [self] in
            do {
                try await streamSettlements(after: settleIndex, into: continuation)
                continuation.finish(throwing: BackendError(.unavailable, "LND closed the invoice subscription"))
            } catch is CancellationError {
                continuation.finish()
            } catch {
                continuation.finish(throwing: LNDErrorMapping.transport(error, operation: "invoice subscription"))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func streamSettlements(
        after index: UInt64, into continuation: AsyncThrowingStream<InvoiceSettlement, any Error>.Continuation
    ) async throws {
        var last = index
        // `settle_index=0` replays nothing and LND gives no sign of when a subscription is registered, so a
        // settlement between a listing and the subscription would be lost. Until the node's first settlement,
        // list settled invoices every second; from then on the subscription replays everything after `last`.
        while last == 0 {
            for settlement in try await settledInvoices() {
                continuation.yield(settlement)
                last = settlement.settleIndex
            }
            if last == 0 { try await Task.sleep(for: .seconds(1)) }
        }
        // LND sends nothing while no invoice settles, so a connection dropped silently on the way looks just
        // like a quiet node. After `subscriptionIdleTimeout` of silence the subscription is reopened from the
        // last settle index: LND replays from its database what settled after it (the catch-up), then goes live.
        let progress = SubscriptionProgress(cursor: last)
        while true {
            do {
                try await watchingSilence(progress, idleTimeout: configuration.subscriptionIdleTimeout) {
                    try await self.subscribe(progress, into: continuation)
                }
                return
            } catch is SubscriptionSilent {
                logger.debug(
                    "LND invoice subscription silent; reopening it", metadata: ["after": "\(progress.cursor)"])
            }
        }
    }

    /// One SubscribeInvoices request from `progress.cursor`, until the stream ends.
    private func subscribe(
        _ progress: SubscriptionProgress,
        into continuation: AsyncThrowingStream<InvoiceSettlement, any Error>.Continuation
    ) async throws {
        let after = progress.cursor
        switch try await client.stream(.GET, "/v1/invoices/subscribe?settle_index=\(after)", headTimeout: nil) {
        case .rejected(let status, let bytes):
            throw LNDErrorMapping.error(status: status, body: bytes)
        case .open(let response):
            logger.debug("LND invoice subscription open", metadata: ["after": "\(after)"])
            _ = try await LNDClient.readLines(of: response, as: LNDInvoice.self) { message in
                progress.heard()
                if let error = message.error {
                    throw LNDErrorMapping.classify(status: 200, code: error.code, message: error.message ?? "")
                }
                guard let invoice = message.result, let settlement = LNDStateMapping.settlement(of: invoice),
                    settlement.settleIndex > progress.cursor
                else { return false }
                continuation.yield(settlement)
                progress.heard(cursor: settlement.settleIndex)
                return false
            }
        }
    }

    /// Every settled invoice, by ListInvoices pages, in settle order.
    private func settledInvoices() async throws(BackendError) -> [InvoiceSettlement] {
        var settlements: [InvoiceSettlement] = []
        var offset: UInt64 = 0
        while true {
            let page = try await client.call(
                .GET, "/v1/invoices?index_offset=\(offset)&num_max_invoices=1000", as: LNDInvoiceList.self)
            settlements += page.invoices.compactMap(LNDStateMapping.settlement(of:))
            guard let next = page.lastIndexOffset?.value, next > offset, !page.invoices.isEmpty else { break }
            offset = next
        }
        return settlements.sorted { $0.settleIndex < $1.settleIndex }
    }
}
