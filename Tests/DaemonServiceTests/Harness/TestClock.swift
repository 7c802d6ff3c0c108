import Foundation
import Synchronization

/// Unix time in whole seconds that moves only when a test advances it: the daemon services read it as `now`.
final class TestClock: Sendable {
    private let seconds: Mutex<Int64>

    /// A clock at `start`, by default the real time (invoices are signed with it and must look current).
    init(start: Int64 = Int64(Date().timeIntervalSince1970)) {
        seconds = Mutex(start)
    }

    /// The current time.
    var now: Int64 { seconds.withLock { $0 } }

    /// Moves the time forward by `delta` seconds.
    func advance(by delta: Int64) {
        seconds.withLock { $0 += delta }
    }
}
