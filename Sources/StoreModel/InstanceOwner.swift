/// Who owns a payment attempt and a heartbeat: the instance name and the random id of the process started
/// under it, `name/start-id`. A copied data dir copies the name but never the start id, so two processes never
/// share an owner.
public struct InstanceOwner: Sendable, Hashable, CustomStringConvertible {
    /// The instance name (`store.instance` or `DATA_DIR/instance`).
    public let name: String
    /// This process's random start id.
    public let startID: String

    /// The owner of a process starting now under `name`.
    public init(name: String) {
        self.init(name: name, startID: String(UInt64.random(in: 0...UInt64.max), radix: 36))
    }

    /// The owner `name/startID`.
    public init(name: String, startID: String) {
        self.name = name
        self.startID = startID
    }

    /// The stored form, `name/start-id`.
    public var description: String { name + "/" + startID }
}
