import Foundation

/// `[roles]` and `[rate_limits]`: which role each caller has, and how many requests per second a role may send.
package struct AccessConfiguration: Sendable {
    /// Role of each uid; the daemon's own uid and root are `admin` unless mapped otherwise.
    package var roleByUID: [UInt32: DaemonConfiguration.Role] = [:]
    /// Role of each gid (primary or supplementary), used when the uid is not mapped.
    package var roleByGID: [UInt32: DaemonConfiguration.Role] = [:]
    /// Request rate limit per caller of each role; a role without an entry is not limited.
    package var rateLimits = DaemonConfiguration.defaultRateLimits

    /// The defaults: no mapping (root and the daemon's uid are admin), the default rate limits.
    package init() {}

    /// The role of a peer: its uid's mapping, else the highest role mapped to its gid or to any group `groups`
    /// lists (the supplementary groups of its user, read only when some gid is mapped), else admin for root and the
    /// daemon's own uid. `groups` is required so that no caller forgets supplementary groups (pass
    /// `GroupMembership.groups(of:)`).
    package func role(uid: UInt32, gid: UInt32, groups: () -> [UInt32]) -> DaemonConfiguration.Role? {
        if let role = roleByUID[uid] { return role }
        if !roleByGID.isEmpty, let role = ([gid] + groups()).compactMap({ roleByGID[$0] }).max() { return role }
        if uid == 0 || uid == getuid() { return .admin }
        return nil
    }
}
