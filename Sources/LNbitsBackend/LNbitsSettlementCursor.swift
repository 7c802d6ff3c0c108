import Lightning

/// Where an LNbits settlement poll stands: the last index delivered and the hashes delivered in this stream
/// (LNbits may touch a paid invoice again, which moves its `updated_at`). Pure; tested by value.
struct LNbitsSettlementCursor: Sendable {
    /// The highest settle index delivered (or the one the stream started after).
    private(set) var last: UInt64
    private var delivered: Set<PaymentHash> = []
    private var deliveredOrder: [PaymentHash] = []
    /// How many delivered hashes are remembered.
    let memory: Int

    /// A cursor after `last`.
    init(after last: UInt64, memory: Int = 10_000) {
        self.last = last
        self.memory = memory
    }

    /// Whether a page of payments, newest `updated_at` first, reaches back to the cursor (no older page needed).
    func reachesBack(_ page: [LNbitsPayment], pageSize: Int) -> Bool {
        page.count < pageSize
            || page.contains { (LNbitsStateMapping.settleIndex(of: $0) ?? 0) <= last }
    }

    /// Whether this stream delivered `hash` (among the last `memory` hashes).
    func hasDelivered(_ hash: PaymentHash) -> Bool {
        delivered.contains(hash)
    }

    /// The new settlements among `payments`, oldest first; moves the cursor past them.
    mutating func advance(over payments: [LNbitsPayment]) -> [InvoiceSettlement] {
        let fresh = payments.compactMap(LNbitsStateMapping.settlement(of:))
            .filter { $0.settleIndex > last }
            .sorted { $0.settleIndex < $1.settleIndex }
        var output: [InvoiceSettlement] = []
        for settlement in fresh {
            last = max(last, settlement.settleIndex)
            guard delivered.insert(settlement.paymentHash).inserted else { continue }
            deliveredOrder.append(settlement.paymentHash)
            if deliveredOrder.count > memory { delivered.remove(deliveredOrder.removeFirst()) }
            output.append(settlement)
        }
        return output
    }
}
