import Lightning

extension LNbitsBackend {
    /// The wallet's paid invoices after `settleIndex`, oldest first, by polling every `pollInterval`.
    ///
    /// LNbits has no settle index, so t4gd defines one: the microseconds since 1970 of the paid invoice's
    /// `updated_at`, when LNbits marked it paid. It grows with each settlement; resuming after the last index
    /// stored yields exactly the invoices paid later (two invoices marked paid in the same microsecond would
    /// share an index: LNbits writes them one by one, so this is not expected). Each poll lists the wallet's
    /// successful incoming payments newest first (`GET /api/v1/payments?status[eq]=success&amount[gt]=0
    /// &sortby=updated_at&direction=desc`) until it reaches the cursor. Admin credits show up as settlements
    /// of invoices t4gd never issued. The stream ends, throwing, on the first failed poll.
    public func settlements(after settleIndex: UInt64) -> AsyncThrowingStream<InvoiceSettlement, any Error> {
        let (stream, continuation) = AsyncThrowingStream<InvoiceSettlement, any Error>.makeStream()
        let task = Task { [self] in
            var cursor = LNbitsSettlementCursor(after: settleIndex)
            do {
                while !Task.isCancelled {
                    for settlement in try await poll(&cursor) { continuation.yield(settlement) }
                    try await Task.sleep(for: configuration.pollInterval)
                }
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

    /// One poll: pages of paid incoming payments, newest first, until one reaches back to the cursor.
    private func poll(_ cursor: inout LNbitsSettlementCursor) async throws(BackendError) -> [InvoiceSettlement] {
        let pageSize = 100
        var payments: [LNbitsPayment] = []
        var offset = 0
        while true {
            let page = try await client.call(
                .GET,
                "/api/v1/payments?status%5Beq%5D=success&amount%5Bgt%5D=0&sortby=updated_at&direction=desc"
                    + "&limit=\(pageSize)&offset=\(offset)",
                key: configuration.invoiceKey, as: [LNbitsPayment].self)
            payments += page
            if cursor.reachesBack(page, pageSize: pageSize) { break }
            offset += pageSize
        }
        return cursor.advance(over: payments)
    }
}
