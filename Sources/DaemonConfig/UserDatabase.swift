import Foundation

/// Lookups in the user and group databases by name, with the reentrant calls: `getpwnam` and `getgrnam` answer
/// in one buffer shared by every thread of the process, which another thread's lookup can overwrite between
/// the call and the read of its fields (two tests running side by side read each other's users that way).
package enum UserDatabase {
    /// The uid and primary gid of the user `name`, or `nil` when there is none.
    package static func user(named name: String) -> (uid: UInt32, gid: UInt32)? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return (UInt32(entry.pw_uid), UInt32(entry.pw_gid))
    }

    /// The gid of the group `name`, or `nil` when there is none.
    package static func groupID(named name: String) -> UInt32? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 65_536)
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return UInt32(entry.gr_gid)
    }
}
