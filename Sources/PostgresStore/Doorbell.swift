/// Wakes one waiting task; a ring while nobody waits is kept for the next wait, and many rings fold into one.
actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?

    /// Wakes the waiter, or the next one to wait.
    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Returns at the next ring (at once when one is kept) or after `timeout`. One waiter at a time.
    func wait(timeout: Duration) async {
        if rung {
            rung = false
            return
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.ring()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { continuation in waiter = continuation }
        rung = false
    }
}
