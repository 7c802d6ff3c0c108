/// Who owns a payment attempt and a heartbeat: the instance name and the random id of the process started
/// under it, `name/start-id`. A copied data dir copies the name but never the start id, so two processes never
/// share an owner.
package struct InstanceOwner: Sendable, Hashable, CustomStringConvertible {
    /// The instance name (`store.instance` or `DATA_DIR/instance`).
    package let name: String
    /// This process's random start id.
    package let startID: String

    /// The owner of a process starting now under `name`.
    package init(name: String) {
        self.init(name: name, startID: String(UInt64.random(in: 0...UInt64.max), radix: 36))
    }

    /// The owner `name/startID`.
    package init(name: String, startID: String) {
        self.name = name
        self.startID = startID
    }

    /// The stored form, `name/start-id`.
    package var description: String { name + "/" + startID }
}
