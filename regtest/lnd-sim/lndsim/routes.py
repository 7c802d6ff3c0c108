"""LND's REST route table and grpc-gateway path matching.

The table lists every HTTP rule of lnd v0.21.2-beta `lnrpc/lightning.yaml`,
`lnrpc/routerrpc/router.yaml` and `lnrpc/invoicesrpc/invoices.yaml`, so that
unknown paths (404 Not Found), wrong methods (501 Method Not Allowed) and
real-but-unsimulated RPCs can be told apart exactly as on a real node
(`runtime/mux.go` `ServeHTTP`, `runtime/errors.go` `DefaultRoutingErrorHandler`).
"""

from dataclasses import dataclass

ROUTE_TABLE = """
GET    /v1/balance/blockchain WalletBalance
GET    /v1/balance/channels ChannelBalance
GET    /v1/transactions GetTransactions
GET    /v1/transactions/fee EstimateFee
POST   /v1/transactions SendCoins
GET    /v1/utxos ListUnspent
GET    /v1/transactions/subscribe SubscribeTransactions
POST   /v1/transactions/many SendMany
GET    /v1/newaddress NewAddress
POST   /v1/signmessage SignMessage
POST   /v1/verifymessage VerifyMessage
POST   /v1/peers ConnectPeer
DELETE /v1/peers/{pub_key} DisconnectPeer
GET    /v1/peers ListPeers
GET    /v1/peers/subscribe SubscribePeerEvents
GET    /v1/getinfo GetInfo
GET    /v1/getdebuginfo GetDebugInfo
GET    /v1/getrecoveryinfo GetRecoveryInfo
GET    /v1/channels/pending PendingChannels
GET    /v1/channels ListChannels
GET    /v1/channels/subscribe SubscribeChannelEvents
GET    /v1/channels/closed ClosedChannels
POST   /v1/channels OpenChannelSync
POST   /v1/channels/stream OpenChannel
POST   /v1/channels/batch BatchOpenChannel
POST   /v1/funding/step FundingStateStep
POST   /v1/channels/acceptor ChannelAcceptor
DELETE /v1/channels/{channel_point.funding_txid_str}/{channel_point.output_index} CloseChannel
DELETE /v1/channels/abandon/{channel_point.funding_txid_str}/{channel_point.output_index} AbandonChannel
POST   /v1/invoices AddInvoice
GET    /v1/invoices ListInvoices
GET    /v1/invoice/{r_hash_str} LookupInvoice
GET    /v1/invoices/subscribe SubscribeInvoices
DELETE /v1/invoices DeleteCanceledInvoice
GET    /v1/payreq/{pay_req} DecodePayReq
DELETE /v1/payment DeletePayment
GET    /v1/payments ListPayments
DELETE /v1/payments DeleteAllPayments
GET    /v1/graph DescribeGraph
GET    /v1/graph/nodemetrics GetNodeMetrics
GET    /v1/graph/edge/{chan_id} GetChanInfo
GET    /v1/graph/node/{pub_key} GetNodeInfo
GET    /v1/graph/routes/{pub_key}/{amt} QueryRoutes
GET    /v1/graph/info GetNetworkInfo
POST   /v1/stop StopDaemon
GET    /v1/graph/subscribe SubscribeChannelGraph
POST   /v1/debuglevel DebugLevel
GET    /v1/fees FeeReport
POST   /v1/chanpolicy UpdateChannelPolicy
POST   /v1/switch ForwardingHistory
GET    /v1/channels/backup/{chan_point.funding_txid_str}/{chan_point.output_index} ExportChannelBackup
GET    /v1/channels/backup ExportAllChannelBackups
POST   /v1/channels/backup/verify VerifyChanBackup
POST   /v1/channels/backup/restore RestoreChannelBackups
GET    /v1/channels/backup/subscribe SubscribeChannelBackups
POST   /v1/macaroon BakeMacaroon
GET    /v1/macaroon/ids ListMacaroonIDs
DELETE /v1/macaroon/{root_key_id} DeleteMacaroonID
GET    /v1/macaroon/permissions ListPermissions
POST   /v1/macaroon/checkpermissions CheckMacaroonPermissions
POST   /v1/middleware RegisterRPCMiddleware
POST   /v1/custommessage SendCustomMessage
GET    /v1/custommessage/subscribe SubscribeCustomMessages
POST   /v1/onionmessage SendOnionMessage
GET    /v1/onionmessage/subscribe SubscribeOnionMessages
GET    /v1/aliases/list ListAliases
GET    /v1/htlc-resolution/{chan_id}/{htlc_index} LookupHtlcResolution
POST   /v2/router/send SendPaymentV2
GET    /v2/router/track/{payment_hash} TrackPaymentV2
GET    /v2/router/payments TrackPayments
POST   /v2/router/route/estimatefee EstimateRouteFee
POST   /v2/router/route/send SendToRouteV2
POST   /v2/router/mc/reset ResetMissionControl
GET    /v2/router/mc QueryMissionControl
GET    /v2/router/mccfg GetMissionControlConfig
POST   /v2/router/mccfg SetMissionControlConfig
GET    /v2/router/mc/probability/{from_node}/{to_node}/{amt_msat} QueryProbability
POST   /v2/router/x/importhistory XImportMissionControl
POST   /v2/router/route BuildRoute
GET    /v2/router/htlcevents SubscribeHtlcEvents
POST   /v2/router/htlcinterceptor HtlcInterceptor
POST   /v2/router/updatechanstatus UpdateChanStatus
POST   /v2/router/x/addaliases XAddLocalChanAliases
POST   /v2/router/x/deletealiases XDeleteLocalChanAliases
POST   /v2/router/x/findbasealias XFindBaseLocalChanAlias
POST   /v2/router/fwdhistory/delete DeleteForwardingHistory
GET    /v2/invoices/subscribe/{r_hash} SubscribeSingleInvoice
POST   /v2/invoices/cancel CancelInvoice
POST   /v2/invoices/hodl AddHoldInvoice
POST   /v2/invoices/settle SettleInvoice
GET    /v2/invoices/lookup LookupInvoiceV2
POST   /v2/invoices/htlcmodifier HtlcModifier
"""


@dataclass(frozen=True)
class Route:
    """One HTTP rule: method, path template and the RPC it calls."""

    method: str
    pattern: str
    rpc: str

    @property
    def endpoint(self):
        """The template's literal prefix ("/v2/router/track" for ".../{payment_hash}")."""
        return self.pattern.split("{", 1)[0].rstrip("/") or self.pattern

    def match(self, path):
        """Path parameters if `path` matches the template, else None."""
        if not path.startswith("/"):
            return None
        want, got = self.pattern[1:].split("/"), path[1:].split("/")
        if len(want) != len(got):
            return None
        params = {}
        for template, segment in zip(want, got, strict=True):
            if template.startswith("{"):
                if segment == "":
                    return None
                params[template[1:-1]] = segment
            elif template != segment:
                return None
        return params


ROUTES = [Route(*line.split()) for line in ROUTE_TABLE.strip().splitlines()]


def resolve(method, path):
    """(route, path params) for a request; (None, 404) or (None, 405) if unroutable."""
    for route in ROUTES:
        if route.method == method and (params := route.match(path)) is not None:
            return route, params
    if any(route.match(path) is not None for route in ROUTES):
        return None, 405
    return None, 404
