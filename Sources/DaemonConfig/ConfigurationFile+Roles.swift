import Foundation
import TOML

extension ConfigurationFile {
    /// Reads `[roles]`: per role the users (`invoice = ["shop", 1001]`) and the groups
    /// (`readonly_gids = ["monitoring", 2001]`), each by name or numeric id. A uid or gid listed under two roles is
    /// refused: which of them it should get would be a guess.
    static func applyRoles(_ table: TOMLTable, to configuration: inout DaemonConfiguration) throws(Problem) {
        for role in DaemonConfiguration.Role.allCases {
            let users = "roles.\(role.rawValue)"
            for uid in try ids(users, try read(users) { try table.array(role.rawValue) }, lookup: userID) {
                try assign(uid, to: role, in: &configuration.access.roleByUID, key: users, kind: "uid")
            }
            let groups = "roles.\(role.rawValue)_gids"
            for gid in try ids(groups, try read(groups) { try table.array(role.rawValue + "_gids") }, lookup: groupID) {
                try assign(gid, to: role, in: &configuration.access.roleByGID, key: groups, kind: "gid")
            }
        }
    }

    private static func assign(
        _ id: UInt32, to role: DaemonConfiguration.Role, in mapping: inout [UInt32: DaemonConfiguration.Role],
        key: String, kind: String
    ) throws(Problem) {
        if let earlier = mapping[id], earlier != role {
            throw Problem(
                key: key,
                message: "\(kind) \(id) is also listed under \(earlier.rawValue); list it under one role only")
        }
        mapping[id] = role
    }

    /// The ids of `values`: integers as they are, strings through `lookup` (the user or group database).
    private static func ids(
        _ key: String, _ values: [TOMLValue]?, lookup: (String) -> UInt32?
    ) throws(Problem) -> [UInt32] {
        var ids: [UInt32] = []
        for value in values ?? [] {
            switch value {
            case .integer(let id) where (0...Int64(UInt32.max)).contains(id):
                ids.append(UInt32(id))
            case .string(let name):
                guard let id = lookup(name) else { throw Problem(key: key, message: "nothing is named \(name)") }
                ids.append(id)
            default:
                throw Problem(key: key, message: "must list names or numeric ids")
            }
        }
        return ids
    }

    private static func userID(_ name: String) -> UInt32? {
        UserDatabase.user(named: name)?.uid
    }

    private static func groupID(_ name: String) -> UInt32? {
        UserDatabase.groupID(named: name)
    }
}
