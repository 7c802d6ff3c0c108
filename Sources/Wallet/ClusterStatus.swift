import JSONRPC
import Store
import Synchronization

/// This process's place among the instances sharing its store, for `daemon.health`, `daemon.info` and
/// `/metrics`: its name and process (``InstanceOwner``), whether it leads the settlement follower, and how many
/// live processes (a heartbeat within ``InstanceHeartbeat/lease``) the store knows, itself included.
package final class ClusterStatus: Sendable {
    /// This process.
    package let owner: InstanceOwner
    private let leading = Atomic<Bool>(false)
    private let live = Atomic<Int>(1)

    package init(owner: InstanceOwner) {
        self.owner = owner
    }

    /// Whether this process follows the backend's settlements now.
    package var leadsSettlements: Bool { leading.load(ordering: .relaxed) }
    /// How many live processes share the store, at the last heartbeat.
    package var liveInstances: Int { live.load(ordering: .relaxed) }

    /// Notes that this process starts or stops following settlements.
    package func setLeadsSettlements(_ value: Bool) { leading.store(value, ordering: .relaxed) }
    /// Notes the live processes counted at a heartbeat.
    package func setLiveInstances(_ count: Int) { live.store(count, ordering: .relaxed) }

    /// The `instance` object of `daemon.health` and `daemon.info`.
    package var json: JSONValue {
        [
            "name": .string(owner.name), "process": .string(owner.description),
            "leads_settlements": .bool(leadsSettlements), "live_instances": .integer(Int64(liveInstances)),
        ]
    }
}
