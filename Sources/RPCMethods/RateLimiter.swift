import DaemonConfig
import Foundation
import Synchronization

/// Per-caller request rate limits, checked before a method runs: every peer uid gets its own
/// ``RateBucket`` sized by its role's ``DaemonConfiguration/RateLimit``; a role without a limit is not
/// counted at all.
///
/// Buckets of the uids the configuration names (and of root and the daemon's own uid) are made up front and
/// read without a lock; only callers mapped by group get theirs from a locked table on first use.
final class RateLimiter: Sendable {
    private struct Key: Hashable {
        let uid: UInt32
        let role: DaemonConfiguration.Role
    }

    private let limits: [DaemonConfiguration.Role: DaemonConfiguration.RateLimit]
    private let configured: [Key: RateBucket]
    private let discovered = Mutex<[Key: RateBucket]>([:])
    private let now: @Sendable () -> UInt64

    /// Creates the limiter of `configuration`; `now` reads a monotonic clock in nanoseconds.
    init(
        configuration: DaemonConfiguration,
        now: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    ) {
        limits = configuration.access.rateLimits
        self.now = now
        let known =
            configuration.access.roleByUID.map { Key(uid: $0.key, role: $0.value) }
            + [Key(uid: 0, role: .admin), Key(uid: getuid(), role: .admin)]
        var buckets: [Key: RateBucket] = [:]
        for key in known {
            if let limit = configuration.access.rateLimits[key.role] { buckets[key] = Self.bucket(limit) }
        }
        configured = buckets
    }

    /// Counts one request of `uid` acting as `role`: `nil` when it may run, else how long until it may.
    func admit(uid: UInt32, role: DaemonConfiguration.Role) -> Duration? {
        guard let limit = limits[role] else { return nil }
        let key = Key(uid: uid, role: role)
        let bucket =
            configured[key]
            ?? discovered.withLock { table in
                if let bucket = table[key] { return bucket }
                let bucket = Self.bucket(limit)
                table[key] = bucket
                return bucket
            }
        return bucket.take(now: now())
    }

    private static func bucket(_ limit: DaemonConfiguration.RateLimit) -> RateBucket {
        RateBucket(requestsPerSecond: limit.requestsPerSecond, burst: limit.burst)
    }
}
