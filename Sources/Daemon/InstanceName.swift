import DaemonConfig
import Foundation

/// This instance's stable name among the daemons sharing one store: `store.instance`, else a random name kept in
/// `DATA_DIR/instance` (created on first start). A payment attempt is owned by the instance that started it; a
/// restarted instance keeps its name and so resolves its own attempts at once.
enum InstanceName {
    static func resolve(_ configuration: DaemonConfiguration) throws -> String {
        if let name = configuration.store.instanceName { return name }
        let path = configuration.dataDirectory + "/instance"
        if let stored = try? String(contentsOfFile: path, encoding: .utf8) {
            let name = stored.trimmingCharacters(in: .whitespacesAndNewlines)
            if !name.isEmpty { return name }
        }
        let name = "t4gd-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try Data((name + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return name
    }
}
