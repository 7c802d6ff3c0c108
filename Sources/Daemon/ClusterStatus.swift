import JSONRPC
import Store
import Synchronization

/// This process's place among the instances sharing its store, for `daemon.health`, `daemon.info` and
/// `/metrics`: its name and process (``InstanceOwner``), whether it leads the settlement follower, and how many
/// live processes (a heartbeat within ``InstanceHeartbeat/lease``) the store knows, itself included.
final class ClusterStatus: Sendable {
    /// This process.
    let owner: InstanceOwner
    private let leading = Atomic<Bool>(false)
    private let live = Atomic<Int>(1)

    init(owner: InstanceOwner) {
        self.owner = owner
    }

    /// Whether this process follows the backend's settlements now.
    var leadsSettlements: Bool { leading.load(ordering: .relaxed) }
    /// How many live processes share the store, at the last heartbeat.
    var liveInstances: Int { live.load(ordering: .relaxed) }

    /// Notes that this process starts or stops following settlements.
    func setLeadsSettlements(_ value: Bool) { leading.store(value, ordering: .relaxed) }
    /// Notes the live processes counted at a heartbeat.
    func setLiveInstances(_ count: Int) { live.store(count, ordering: .relaxed) }

    /// The `instance` object of `daemon.health` and `daemon.info`.
    var json: JSONValue {
        [
            "name": .string(owner.name), "process": .string(owner.description),
            "leads_settlements": .bool(leadsSettlements), "live_instances": .integer(Int64(liveInstances)),
        ]
    }

    /// The schema of ``json``.
    static let schema = Schema.object([
        ("name", Schema.string), ("process", Schema.string), ("leads_settlements", Schema.boolean),
        ("live_instances", Schema.integer(0, Int64.max)),
    ])
}
