/// Wakes one waiting task; a ring while nobody waits is kept for the next wait, and many rings fold into one.
actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Bool, Never>?

    /// Wakes the waiter, or the next one to wait.
    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: true)
        } else {
            rung = true
        }
    }

    /// Returns `true` at the next ring (at once when one is kept), or `false` after `timeout`. One waiter at a
    /// time.
    func wait(timeout: Duration) async -> Bool {
        if rung {
            rung = false
            return true
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.timeOut()
        }
        defer { timer.cancel() }
        let wasRung = await withCheckedContinuation { continuation in waiter = continuation }
        rung = false
        return wasRung
    }

    private func timeOut() {
        guard let waiter else { return }
        self.waiter = nil
        waiter.resume(returning: false)
    }
}
