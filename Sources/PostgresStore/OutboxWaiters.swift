/// Writers of this process waiting for the index the sequencer gives their outbox row.
///
/// A writer registers its row before it wakes the sequencer, so an index found before the writer starts to
/// wait is kept for it. A writer registers only after its commit, and this process's sequencer may have taken the
/// row in between: the indexes of the latest ``unclaimedLimit`` rows nobody waited for are kept, and a
/// registration finds its index there (without them, that writer waited for its 200 ms read of the outbox, the
/// tail of a paid invoice's latency). Indexes arrive from this process's own sequencer (``resolve(_:)``, with
/// the batch's result) or, when another instance sequences, from a read after its `NOTIFY` (``pendingIDs``).
actor OutboxWaiters {
    private enum Entry {
        case waiting(CheckedContinuation<Int64?, Never>?)
        case indexed(Int64)

        var isWaiting: Bool {
            if case .waiting = self { true } else { false }
        }
    }

    /// How many indexes of rows nobody waited for are kept.
    static let unclaimedLimit = 4_096

    private var entries: [Int64: Entry] = [:]
    /// Indexes given to rows nobody waited for, by outbox id, and those ids oldest first (a ring).
    private var unclaimed: [Int64: Int64] = [:]
    private var unclaimedOrder: [Int64] = []
    private var unclaimedNext = 0

    /// Starts following the outbox row `id`.
    func register(_ id: Int64) {
        if let index = unclaimed.removeValue(forKey: id) {
            entries[id] = .indexed(index)
        } else {
            entries[id] = .waiting(nil)
        }
    }

    /// Stops following the outbox row `id`.
    func forget(_ id: Int64) {
        if case .waiting(let continuation?) = entries.removeValue(forKey: id) { continuation.resume(returning: nil) }
    }

    /// Whether a row still waits for its index.
    var hasWaiting: Bool { entries.values.contains(where: \.isWaiting) }

    /// The rows still waiting for their index.
    var pendingIDs: [Int64] { entries.filter(\.value.isWaiting).map(\.key) }

    /// Hands each registered row of `indexes` (outbox id, event index) its index.
    func resolve(_ indexes: [(outboxID: Int64, index: Int64)]) {
        for (id, index) in indexes {
            guard case .waiting(let continuation) = entries[id] else {
                keepUnclaimed(id, index)
                continue
            }
            if let continuation {
                entries[id] = nil
                continuation.resume(returning: index)
            } else {
                entries[id] = .indexed(index)
            }
        }
    }

    /// The index of the registered row `id`, or `nil` when none arrived within `timeout` (the row stays
    /// registered) or `id` is not registered.
    func index(of id: Int64, timeout: Duration) async -> Int64? {
        switch entries[id] {
        case .indexed(let index)?:
            entries[id] = nil
            return index
        case nil: return nil
        case .waiting: break
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in entries[id] = .waiting(continuation) }
    }

    /// Keeps the index of a row nobody waits for (yet), forgetting the oldest beyond ``unclaimedLimit``.
    private func keepUnclaimed(_ id: Int64, _ index: Int64) {
        if unclaimedOrder.count < Self.unclaimedLimit {
            unclaimedOrder.append(id)
        } else {
            unclaimed[unclaimedOrder[unclaimedNext]] = nil
            unclaimedOrder[unclaimedNext] = id
            unclaimedNext = (unclaimedNext + 1) % Self.unclaimedLimit
        }
        unclaimed[id] = index
    }

    private func expire(_ id: Int64) {
        guard case .waiting(let continuation?) = entries[id] else { return }
        entries[id] = .waiting(nil)
        continuation.resume(returning: nil)
    }
}
