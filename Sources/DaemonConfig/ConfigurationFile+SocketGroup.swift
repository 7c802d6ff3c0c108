import Foundation
import TOML

extension ConfigurationFile {
    /// Reads `rpc.socket_group`: a numeric group id, or a group name looked up in the group database.
    static func socketGroup(_ table: TOMLTable) throws(Problem) -> UInt32? {
        let key = "rpc.socket_group"
        if let name = try? table.string("socket_group") {
            guard let group = UserDatabase.groupID(named: name) else {
                throw Problem(key: key, message: "no group is named \(name)")
            }
            return group
        }
        guard let value = try read(key, { try table.integer("socket_group") }) else { return nil }
        guard (0...Int64(UInt32.max)).contains(value) else {
            throw Problem(key: key, message: "must be a group name or a group id")
        }
        return UInt32(value)
    }
}
