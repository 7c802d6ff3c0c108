import Foundation
import Synchronization

/// The groups the user database lists a uid in (`getgrouplist` for the uid's name and primary group), so that a
/// user added to a mapped group with `usermod -aG` gets its role. Answers are kept for ``lifetime``: membership
/// changes apply within that time, and a caller calling often costs one lookup per period, not one per call.
package final class GroupMembership: Sendable {
    private struct Entry {
        let groups: [UInt32]
        let until: ContinuousClock.Instant
    }

    /// How long one lookup is reused.
    static let lifetime: Duration = .seconds(10)
    /// Beyond this many uids the table starts over (uids come from peers the socket admits, so few).
    private static let capacity = 1024

    private let entries = Mutex<[UInt32: Entry]>([:])

    /// An empty table: the first lookup of each uid reads the user database.
    package init() {}

    /// The group ids of `uid`'s user (its primary group included); empty for a uid the database does not know.
    package func groups(of uid: UInt32) -> [UInt32] {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[uid] }), entry.until > now { return entry.groups }
        let groups = Self.lookUp(uid)
        entries.withLock { table in
            if table.count >= Self.capacity { table.removeAll() }
            table[uid] = Entry(groups: groups, until: now + Self.lifetime)
        }
        return groups
    }

    private static func lookUp(_ uid: UInt32) -> [UInt32] {
        var entry = passwd()
        var buffer = [CChar](repeating: 0, count: 16_384)
        var result: UnsafeMutablePointer<passwd>?
        guard getpwuid_r(uid_t(uid), &entry, &buffer, buffer.count, &result) == 0, result != nil,
            let name = entry.pw_name
        else { return [] }
        var count: Int32 = 64
        while true {
            var groups = [gid_t](repeating: 0, count: Int(count))
            let found = getgrouplist(name, entry.pw_gid, &groups, &count)
            if found >= 0 { return groups.prefix(Int(count)).map { UInt32($0) } }
            guard count > groups.count, count <= 65_536 else { return [] }
        }
    }
}
