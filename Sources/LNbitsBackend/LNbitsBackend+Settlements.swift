import Lightning
import NIOConcurrencyHelpers

extension LNbitsBackend {
    /// The wallet's paid invoices after `settleIndex`, oldest first: pushed by LNbits' WebSocket, with polling
    /// as the fallback.
    ///
    /// LNbits has no settle index, so t4gd defines one: the microseconds since 1970 of the paid invoice's
    /// `updated_at`, when LNbits marked it paid. It grows with each settlement; resuming after the last index
    /// stored yields exactly the invoices paid later (two invoices marked paid in the same microsecond would
    /// share an index: LNbits writes them one by one, so this is not expected). A poll lists the wallet's
    /// successful incoming payments newest first (`GET /api/v1/payments?status[eq]=success&amount[gt]=0
    /// &sortby=updated_at&direction=desc`) until it reaches the cursor. Polls run at once, every
    /// `pollInterval`, after every (re)connect of the push channel (the gap filler), and when a push frame
    /// reports a settled invoice not delivered yet (again after 0.2, 0.5 and 1 s while it is still missing:
    /// LNbits may push before it commits). Push frames are hints only: every settlement is read back over
    /// REST. Admin credits show up as settlements of invoices t4gd never issued. The stream ends, throwing,
    /// on the first failed poll; a broken push channel only reconnects.
    public func settlements(after settleIndex: UInt64) -> AsyncThrowingStream<InvoiceSettlement, any Error> {
        let (stream, continuation) = AsyncThrowingStream<InvoiceSettlement, any Error>.makeStream()
        let task = Task { [self] in
            do {
                try await followSettlements(after: settleIndex, into: continuation)
                continuation.finish()
            } catch is CancellationError {
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Polls whenever the doorbell rings (at once, on the timer, on push) until cancelled or a poll fails.
    private func followSettlements(
        after settleIndex: UInt64, into output: AsyncThrowingStream<InvoiceSettlement, any Error>.Continuation
    ) async throws {
        let cursor = NIOLockedValueBox(LNbitsSettlementCursor(after: settleIndex))
        let (doorbell, ring) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        ring.yield()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [configuration] in
                while true {
                    try await Task.sleep(for: configuration.pollInterval)
                    ring.yield()
                }
            }
            if configuration.push {
                group.addTask { await self.followPush(cursor: cursor, ring: ring) }
            }
            for await _ in doorbell {
                try Task.checkCancellation()
                let payments = try await fetchSettled(reachingBackTo: cursor.withLockedValue { $0 })
                for settlement in cursor.withLockedValue({ $0.advance(over: payments) }) { output.yield(settlement) }
            }
            group.cancelAll()
        }
    }

    /// Keeps the push channel open, reconnecting with backoff, and rings for every (re)connect and every
    /// settled invoice a frame reports that the cursor has not delivered.
    private func followPush(cursor: NIOLockedValueBox<LNbitsSettlementCursor>, ring: AsyncStream<Void>.Continuation)
        async
    {
        guard let endpoint = LNbitsPushChannel.Endpoint(baseURL: configuration.baseURL) else {
            logger.warning("LNbits' base URL gives no WebSocket endpoint; settlements are polled only")
            return
        }
        let channel = LNbitsPushChannel(
            endpoint: endpoint, timeout: configuration.requestTimeout, pingInterval: configuration.pingInterval)
        var backoff = ReconnectBackoff(initial: .milliseconds(500), maximum: .seconds(30), stableAfter: .seconds(60))
        let clock = ContinuousClock()
        while !Task.isCancelled {
            var lifetime: Duration?
            do {
                let messages = try await channel.open(key: configuration.invoiceKey)
                let opened = clock.now
                logger.debug("LNbits push channel open")
                ring.yield()
                await withDiscardingTaskGroup { group in
                    for await text in messages {
                        guard let hash = LNbitsPushFrame.settledInvoice(in: text),
                            !cursor.withLockedValue({ $0.hasDelivered(hash) })
                        else { continue }
                        ring.yield()
                        group.addTask {
                            for delay in [200, 500, 1000] {
                                try? await Task.sleep(for: .milliseconds(delay))
                                if Task.isCancelled || cursor.withLockedValue({ $0.hasDelivered(hash) }) { return }
                                ring.yield()
                            }
                        }
                    }
                    // The reconnect polls anyway: no retry may hold it back.
                    group.cancelAll()
                }
                lifetime = clock.now - opened
                if !Task.isCancelled { logger.info("LNbits push channel closed; polling until it reconnects") }
            } catch {
                logger.warning("LNbits push channel unavailable; polling", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: backoff.delay(afterConnectionLasting: lifetime))
        }
    }

    /// Pages of paid incoming payments, newest first, until one reaches back to `cursor`: first a page of 10
    /// (a poll usually finds one new settlement or none), then pages of 100.
    private func fetchSettled(reachingBackTo cursor: LNbitsSettlementCursor) async throws(BackendError)
        -> [LNbitsPayment]
    {
        var payments: [LNbitsPayment] = []
        var pageSize = 10
        while true {
            let page = try await client.call(
                .GET,
                "/api/v1/payments?status%5Beq%5D=success&amount%5Bgt%5D=0&sortby=updated_at&direction=desc"
                    + "&limit=\(pageSize)&offset=\(payments.count)",
                key: configuration.invoiceKey, as: [LNbitsPayment].self)
            payments += page
            if cursor.reachesBack(page, pageSize: pageSize) { return payments }
            pageSize = 100
        }
    }
}
