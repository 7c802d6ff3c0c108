import JSONRPC
import Wallet

extension RPCMethod.Declaration {
    static let daemonInfo = Self(
        "daemon.info", role: .readonly,
        summary:
            "Version, network, backend, identity, uptime, and this instance among those sharing the store"
            + " (name, process, whether it leads the settlement follower, live instances).",
        result: Schema.object([
            ("version", Schema.string), ("network", Schema.string), ("backend", Schema.string),
            ("identity_pubkey", Schema.hex32), ("uptime_s", Schema.integer(0, Int64.max)),
            ("instance", ClusterStatus.schema),
        ])
    )

    static let daemonHealth = Self(
        "daemon.health", role: .readonly,
        summary:
            "ok | degraded | down and ready, with the store's, the backend's and start-up reconciliation's"
            + " status, latency and error, from a measurement taken every second (measured_ms_ago), and"
            + " this instance among those sharing the store.",
        result: Schema.object([
            ("status", Schema.oneOf(["ok", "degraded", "down"])), ("ready", Schema.boolean),
            ("components", Schema.anyObject), ("measured_ms_ago", Schema.integer(0, Int64.max)),
            ("instance", ClusterStatus.schema),
        ])
    )

    static let daemonStop = Self(
        "daemon.stop", role: .admin, summary: "Shut down gracefully: finish in-flight requests, then exit.",
        result: Schema.object([("stopping", Schema.boolean)])
    )

    static let nodeInfo = Self(
        "node.info", role: .readonly,
        summary: "The backend node: pubkey, alias, network, height, sync, counts; null where the backend cannot know.",
        result: Schema.object([
            ("pubkey", ["type": ["string", "null"]]), ("alias", Schema.string), ("network", Schema.string),
            ("block_height", ["type": ["integer", "null"]]), ("synced", ["type": ["boolean", "null"]]),
            ("channel_count", Schema.integer(0, Int64.max)), ("peer_count", Schema.integer(0, Int64.max)),
        ]),
        errors: [.backendUnavailable, .backendError]
    )

    static let nodeChannels = Self(
        "node.channels", role: .readonly, summary: "The backend node's channels.",
        result: Schema.array(
            Schema.object([
                ("id", Schema.string), ("peer", Schema.string), ("capacity_msat", Schema.integer(0, Int64.max)),
                ("local_msat", Schema.integer(0, Int64.max)), ("remote_msat", Schema.integer(0, Int64.max)),
                ("active", Schema.boolean),
            ])),
        errors: [.backendUnavailable, .backendError]
    )

    static let walletBalance = Self(
        "wallet.balance", role: .readonly,
        summary: "Spendable balance; with `currency`, also its value at the current rate, as an estimate.",
        params: [.optional("currency", .currency, "ISO 4217 code: adds `fiat` (an estimate)")],
        result: Schema.object([
            ("balance_msat", ["type": "integer"]), ("balance_sat", ["type": "integer"]),
            ("wallet_id", Schema.string), ("wallet_name", Schema.string),
            (
                "fiat",
                Schema.object([
                    ("currency", Schema.string), ("amount", Schema.string), ("rate", Schema.string),
                    ("at", Schema.integer(0, Int64.max)), ("estimate", Schema.boolean),
                ])
            ),
        ]),
        errors: [.backendUnavailable, .backendError, .rateUnavailable],
        example: ["currency": "EUR"]
    )

    static let walletTransactions = Self(
        "wallet.transactions", role: .readonly,
        summary:
            "Money in (paid invoices) and out (payments), newest first, with label, description, counterparty"
            + " and metadata, and the totals of the whole filtered range.",
        params: [
            .optional("from", .unixSeconds, "earliest time (Unix seconds)"),
            .optional("to", .unixSeconds, "latest time (Unix seconds)"),
            .optional(
                "direction", .choice(EventPayloads.transactionDirections.map(\.param)),
                "`in` (or `incoming`, as rows say it): money in only; `out` (or `outgoing`): money out only"),
            .accountFilter,
        ] + RPCParam.paging,
        result: Schema.page(of: "transaction", totals: "transaction_totals"), errors: [.accountNotFound],
        example: ["from": .integer(Example.unixTime - 86_400), "limit": 50]
    )

    static let rpcDiscover = Self(
        "rpc.discover", role: .readonly, summary: "This interface as an OpenRPC 1.2 document.",
        result: ["$ref": "https://raw.githubusercontent.com/open-rpc/meta-schema/master/schema.json"]
    )
}
