/// Wakes whoever waits for the durable event log to grow, without polling the store.
///
/// The log itself is the store's `events` table; the bus only carries "the newest index is now N". A waiter
/// reads the store after the index it has seen, so a notification that arrives late or coalesced never makes
/// it miss an event. Thousands of waiters cost one continuation each.
package actor EventBus {
    private var latestIndex: Int64
    private var waiters: [Int: (after: Int64, continuation: CheckedContinuation<Bool, Never>)] = [:]
    private var nextWaiterID = 0

    /// Starts at the store's newest index.
    package init(latestIndex: Int64) {
        self.latestIndex = latestIndex
    }

    /// The newest index announced.
    package var latest: Int64 { latestIndex }

    /// Announces that events up to `index` are committed.
    package func published(upTo index: Int64) {
        guard index > latestIndex else { return }
        latestIndex = index
        for (id, waiter) in waiters where waiter.after < index {
            waiters[id] = nil
            waiter.continuation.resume(returning: true)
        }
    }

    /// Waits until an event with an index above `index` exists; `false` when `timeout` passed first or the
    /// task was cancelled.
    package func wait(after index: Int64, timeout: Duration) async -> Bool {
        if latestIndex > index { return true }
        let id = nextWaiterID
        nextWaiterID += 1
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(id)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled || latestIndex > index {
                    continuation.resume(returning: latestIndex > index)
                } else {
                    waiters[id] = (index, continuation)
                }
            }
        } onCancel: {
            Task { await self.expire(id) }
        }
    }

    /// How many waiters are parked (for health and tests).
    package var waiterCount: Int { waiters.count }

    private func expire(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: false)
    }
}
