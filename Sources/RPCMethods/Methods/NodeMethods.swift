import JSONRPC
import Lightning
import Wallet

extension DaemonComponents {
    var nodeMethods: [RPCMethod] {
        [
            RPCMethod.immediate(
                "daemon.info", role: .readonly,
                summary:
                    "Version, network, backend, identity, uptime, and this instance among those sharing the store"
                    + " (name, process, whether it leads the settlement follower, live instances).",
                result: Schema.object([
                    ("version", Schema.string), ("network", Schema.string), ("backend", Schema.string),
                    ("identity_pubkey", Schema.hex32), ("uptime_s", Schema.integer(0, Int64.max)),
                    ("instance", ClusterStatus.schema),
                ])
            ) { _, _ in
                [
                    "version": .string(Self.version), "network": .string(configuration.network.rawValue),
                    "backend": .string(backend.kind), "identity_pubkey": .string(identityPubkey),
                    "uptime_s": .integer((ContinuousClock.now - startedAt).components.seconds),
                    "instance": cluster.json,
                ]
            },
            RPCMethod.immediate(
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
            ) { _, _ in
                health.report().json
            },
            RPCMethod(
                "daemon.stop", role: .admin, summary: "Shut down gracefully: finish in-flight requests, then exit.",
                result: Schema.object([("stopping", Schema.boolean)])
            ) { _, call in
                call.logger.notice("stop requested over RPC")
                requestStop()
                return ["stopping": true]
            },
            RPCMethod(
                "node.info", role: .readonly,
                summary:
                    "The backend node: pubkey, alias, network, height, sync, counts; null where the backend cannot know.",
                result: Schema.anyObject, errors: ["backend_unavailable", "backend_error"]
            ) { _, _ in
                let info = try await backendCall { try await backend.nodeInfo() }
                return [
                    "pubkey": info.pubkey.map(JSONValue.string) ?? .null, "alias": .string(info.alias),
                    "network": .string(info.network.rawValue),
                    "block_height": info.blockHeight.map(JSONValue.integer) ?? .null,
                    "synced": info.synced.map(JSONValue.bool) ?? .null,
                    "channel_count": .integer(Int64(info.channelCount)), "peer_count": .integer(Int64(info.peerCount)),
                ]
            },
            RPCMethod(
                "node.channels", role: .readonly, summary: "The backend node's channels.",
                result: Schema.array(Schema.anyObject), errors: ["backend_unavailable", "backend_error"]
            ) { _, _ in
                .array(
                    try await backendCall { try await backend.channels() }.map { channel in
                        [
                            "id": .string(channel.id), "peer": .string(channel.peer),
                            "capacity_msat": .integer(channel.capacity.rawValue),
                            "local_msat": .integer(channel.localBalance.rawValue),
                            "remote_msat": .integer(channel.remoteBalance.rawValue), "active": .bool(channel.active),
                        ]
                    })
            },
            RPCMethod(
                "wallet.balance", role: .readonly,
                summary: "Spendable balance; with `currency`, also its value at the current rate, as an estimate.",
                params: [.optional("currency", Schema.currency, "ISO 4217 code: adds `fiat` (an estimate)")],
                result: Schema.anyObject, errors: ["backend_unavailable", "backend_error", "rate_unavailable"]
            ) { params, _ in
                let currency = try params.currency()
                let balance = try await backendCall { try await backend.balance() }
                var object: JSONObject = [
                    "balance_msat": .integer(balance.balance.rawValue), "balance_sat": .integer(balance.balance.sat),
                    "wallet_id": .string(balance.walletID), "wallet_name": .string(balance.walletName),
                ]
                if let currency { object["fiat"] = try fiatEstimate(of: balance.balance, in: currency) }
                return .object(object)
            },
            RPCMethod(
                "wallet.transactions", role: .readonly,
                summary: "Money in (paid invoices) and out (payments), newest first.",
                params: [
                    .optional("from", Schema.integer(0, Int64.max), "earliest time (Unix seconds)"),
                    .optional("to", Schema.integer(0, Int64.max), "latest time (Unix seconds)"),
                ] + RPCMethod.Param.paging,
                result: Schema.page(of: "transaction")
            ) { params, _ in
                let page = try await store.walletTransactions(
                    from: try params.integer("from", in: 0...Int64.max),
                    to: try params.integer("to", in: 0...Int64.max),
                    limit: try params.limit(), cursor: try params.string("cursor"))
                return Self.page(
                    page.items.map { item in
                        [
                            "direction": .string(item.direction.rawValue),
                            "payment_hash": .string(item.paymentHash.hex),
                            "amount_msat": .integer(item.amount.rawValue), "fee_msat": .integer(item.fee.rawValue),
                            "status": .string(item.status), "at": .integer(item.at),
                            "description": item.description.map(JSONValue.string) ?? .null,
                        ]
                    }, next: page.nextCursor)
            },
        ]
    }

    func backendCall<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw BackendErrorMapping.daemonError(error)
        }
    }
}
