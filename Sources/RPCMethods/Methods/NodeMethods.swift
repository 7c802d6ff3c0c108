import JSONRPC
import Lightning
import Store
import Wallet

extension DaemonComponents {
    var nodeMethods: [RPCMethod] {
        [
            RPCMethod.immediate(.daemonInfo) { _, _ in
                [
                    "version": .string(Self.version), "network": .string(configuration.network.rawValue),
                    "backend": .string(backend.kind), "identity_pubkey": .string(identityPubkey),
                    "uptime_s": .integer((ContinuousClock.now - startedAt).components.seconds),
                    "instance": cluster.json,
                ]
            },
            RPCMethod.immediate(.daemonHealth) { _, _ in
                health.report().json
            },
            RPCMethod(.daemonStop) { _, call in
                call.logger.notice("stop requested over RPC")
                requestStop()
                return ["stopping": true]
            },
            RPCMethod(.nodeInfo) { _, _ in
                let info = try await backendCall { try await backend.nodeInfo() }
                return [
                    "pubkey": info.pubkey.map(JSONValue.string) ?? .null, "alias": .string(info.alias),
                    "network": .string(info.network.rawValue),
                    "block_height": info.blockHeight.map(JSONValue.integer) ?? .null,
                    "synced": info.synced.map(JSONValue.bool) ?? .null,
                    "channel_count": .integer(Int64(info.channelCount)), "peer_count": .integer(Int64(info.peerCount)),
                ]
            },
            RPCMethod(.nodeChannels) { _, _ in
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
            RPCMethod(.walletBalance) { params, _ in
                let currency = try params.currency()
                let balance = try await backendCall { try await backend.balance() }
                var object: JSONObject = [
                    "balance_msat": .integer(balance.balance.rawValue), "balance_sat": .integer(balance.balance.sat),
                    "wallet_id": .string(balance.walletID), "wallet_name": .string(balance.walletName),
                ]
                if let currency { object["fiat"] = try fiatEstimate(of: balance.balance, in: currency) }
                return .object(object)
            },
            RPCMethod(.walletTransactions) { params, _ in
                let direction = try params.string("direction")
                let filter = WalletTransactionFilter(
                    from: try params.integer("from"),
                    to: try params.integer("to"),
                    direction: EventPayloads.transactionDirections.first { $0.param == direction }?.direction,
                    account: try await listedAccount(params))
                let history = try await store.walletTransactions(
                    filter, limit: try params.limit(), cursor: try params.string("cursor"))
                return Self.page(
                    history.page.items.map { .object(EventPayloads.transaction($0)) }, next: history.page.nextCursor,
                    totals: EventPayloads.totals(history.totals))
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
