import JSONRPC
import Wallet

extension ClusterStatus {
    /// The schema of ``json``.
    static let schema = Schema.object([
        ("name", Schema.string), ("process", Schema.string), ("leads_settlements", Schema.boolean),
        ("live_instances", Schema.integer(0, Int64.max)),
    ])
}
