"""The simulated RPCs: one function per LND RPC, returning REST JSON or a stream of it.

Unary handlers return a dict; streaming handlers are generators of dicts whose
first `next()` runs the RPC's validation, so errors raised before the first
message get grpc-gateway's "error before first message" treatment.
Sources per RPC are named in each docstring (lnd v0.21.2-beta).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from . import bolt11, features, gofmt, proto
from .invoices import make_hash
from .payments import TERMINAL
from .rpcerror import INVALID_ARGUMENT, NOT_FOUND, RpcError, unknown

VERSION = "0.21.2-beta commit=v0.21.2-beta"
COMMIT_HASH = "29257ecc8892af0c882fa627b66a556190c84fd9"
MAX_STREAM_SECONDS = 3600
WAIT_SLICE_SECONDS = 0.5


@dataclass
class Call:
    """One RPC invocation: the node it targets, the decoded request, a liveness probe."""

    network: object
    node: object
    req: dict
    alive: Callable[[], bool]


@dataclass(frozen=True)
class RpcSpec:
    """How the gateway decodes a request for an RPC and what the RPC needs."""

    request: str
    permission: str
    handler: Callable
    stream: bool = False
    body: bool = False


# --- helpers ---------------------------------------------------------------------------


def wait_for(call, getter):
    """Block until getter() (run under the lock) returns non-None; None if the client left."""
    deadline = time.monotonic() + MAX_STREAM_SECONDS
    with call.network.lock:
        while True:
            value = getter()
            if value is not None:
                return value
            if time.monotonic() > deadline or not call.alive():
                return None
            call.network.changed.wait(WAIT_SLICE_SECONDS)


def wait_for_item(call, items, index, refresh=None):
    """Block until items[index] exists (calling refresh() first each time); None if the client left."""

    def item():
        if refresh:
            refresh()
        return items[index] if index < len(items) else None

    return wait_for(call, item)


def _amount(msat):
    return {"sat": msat // 1000, "msat": msat}


# --- Lightning service (rpcserver.go) --------------------------------------------------------


def get_info(call):
    """`rpcServer.GetInfo`."""
    net, node = call.network, call.node
    channels = net.channels_of(node.name)
    return proto.marshal("GetInfoResponse", {
        "version": VERSION, "commit_hash": COMMIT_HASH, "identity_pubkey": node.pubkey.hex(),
        "alias": node.alias, "color": node.color, "num_active_channels": len(channels),
        "num_peers": len({c.other(node.name) for c in channels}), "block_height": net.block_height,
        "block_hash": net.block_hash, "best_header_timestamp": net.best_header_timestamp,
        "synced_to_chain": True, "synced_to_graph": True, "testnet": net.params.name == "testnet",
        "chains": [{"chain": "bitcoin", "network": net.params.name}],
        "features": features.rpc_features(features.NODE), "wallet_synced": True,
        "graph_cache_status": "GRAPH_CACHE_STATUS_LOADED",
    })


def wallet_balance(call):
    """`rpcServer.WalletBalance` (a fixed confirmed balance; anchor reserve 10k sat per channel)."""
    sat = call.node.onchain_sat
    anchor_channels = len(call.network.channels_of(call.node.name))
    return proto.marshal("WalletBalanceResponse", {
        "total_balance": sat, "confirmed_balance": sat,
        "reserved_balance_anchor_chan": min(10_000 * anchor_channels, 100_000),
        "account_balance": {"default": {"confirmed_balance": sat, "unconfirmed_balance": 0}},
    })


def channel_balance(call):
    """`rpcServer.ChannelBalance`: unsettled_local = incoming HTLCs, unsettled_remote = outgoing (sic)."""
    name = call.node.name
    channels = call.network.channels_of(name)
    local = sum(c.balance_msat[name] for c in channels)
    remote = sum(c.balance_msat[c.other(name)] for c in channels)
    htlcs = [h for c in channels for h in c.htlcs]
    incoming = sum(h.amount_msat for h in htlcs if h.sender != name)
    outgoing = sum(h.amount_msat for h in htlcs if h.sender == name)
    custom = bytes([len(channels)]) + bytes(len(channels)) + b"\x00"
    return proto.marshal("ChannelBalanceResponse", {
        "balance": local // 1000, "local_balance": _amount(local), "remote_balance": _amount(remote),
        "unsettled_local_balance": _amount(incoming), "unsettled_remote_balance": _amount(outgoing),
        "pending_open_local_balance": _amount(0), "pending_open_remote_balance": _amount(0),
        "custom_channel_data": custom,
    })


def _forwarding_link(net, htlc, incoming):
    """(chan_id, htlc_index) of the other side of a forwarded HTLC, or (0, 0)."""
    other_leg = htlc.leg + 1 if incoming else htlc.leg - 1
    for channel in net.channels:
        for other in channel.htlcs:
            if other.attempt_key == htlc.attempt_key and other.leg == other_leg >= 0:
                return channel.chan_id, other.htlc_index
    return 0, 0


def _rpc_htlc(net, name, htlc):
    incoming = htlc.sender != name
    forwarding_channel, forwarding_index = _forwarding_link(net, htlc, incoming)
    return {
        "incoming": incoming, "amount": htlc.amount_msat // 1000, "hash_lock": htlc.payment_hash,
        "expiration_height": htlc.expiry_height, "htlc_index": htlc.htlc_index,
        "forwarding_channel": forwarding_channel, "forwarding_htlc_index": forwarding_index, "locked_in": True,
    }


def _constraints(channel):
    reserve = max(channel.capacity_sat // 100, 354)
    return {
        "csv_delay": 144, "chan_reserve_sat": reserve, "dust_limit_sat": 354,
        "max_pending_amt_msat": (channel.capacity_sat - reserve) * 1000, "min_htlc_msat": 1,
        "max_accepted_htlcs": 483,
    }


def _rpc_channel(net, name, channel, peer_alias_lookup):
    """`createRPCOpenChannel` for an anchors channel without commitment fee."""
    peer = net.nodes[channel.other(name)]
    uptime = int(time.time()) - net.best_header_timestamp
    return {
        "active": True, "remote_pubkey": peer.pubkey.hex(), "channel_point": channel.channel_point,
        "chan_id": channel.chan_id, "capacity": channel.capacity_sat,
        "local_balance": channel.balance_msat[name] // 1000,
        "remote_balance": channel.balance_msat[peer.name] // 1000, "commit_weight": 1116, "fee_per_kw": 2500,
        "unsettled_balance": sum(h.amount_msat // 1000 for h in channel.htlcs),
        "total_satoshis_sent": channel.sent_msat[name] // 1000,
        "total_satoshis_received": channel.received_msat[name] // 1000, "num_updates": channel.num_updates,
        "pending_htlcs": [_rpc_htlc(net, name, h) for h in channel.htlcs], "csv_delay": 144,
        "initiator": channel.initiator == name, "chan_status_flags": "ChanStatusDefault",
        "local_chan_reserve_sat": _constraints(channel)["chan_reserve_sat"],
        "remote_chan_reserve_sat": _constraints(channel)["chan_reserve_sat"], "commitment_type": "ANCHORS",
        "lifetime": uptime, "uptime": uptime, "push_amount_sat": channel.push_sat,
        "local_constraints": _constraints(channel), "remote_constraints": _constraints(channel),
        "peer_alias": peer.alias if peer_alias_lookup else "", "private": channel.private,
    }


def list_channels(call):
    """`rpcServer.ListChannels` (all simulated channels are active)."""
    req, name = call.req, call.node.name
    if req.get("active_only") and req.get("inactive_only"):
        raise unknown("either `active_only` or `inactive_only` can be set, but not both")
    if req.get("public_only") and req.get("private_only"):
        raise unknown("either `public_only` or `private_only` can be set, but not both")
    peer = req.get("peer")
    channels = [
        c for c in call.network.channels_of(name)
        if not peer or call.network.nodes[c.other(name)].pubkey == peer
    ]
    if req.get("inactive_only"):
        channels = []
    if req.get("public_only") or req.get("private_only"):
        channels = [c for c in channels if c.private == bool(req.get("private_only"))]
    rpc = [_rpc_channel(call.network, name, c, req.get("peer_alias_lookup")) for c in channels]
    return proto.marshal("ListChannelsResponse", {"channels": rpc})


def pending_channels(call):
    """`rpcServer.PendingChannels`: the simulator has none."""
    return proto.marshal("PendingChannelsResponse", {})


def closed_channels(call):
    """`rpcServer.ClosedChannels`: the simulator has none."""
    return proto.marshal("ClosedChannelsResponse", {})


def fee_report(call):
    """`rpcServer.FeeReport` (fee sums are not tracked: always 0)."""
    policy = call.node.policy
    fees = [
        {"chan_id": c.chan_id, "channel_point": c.channel_point, "base_fee_msat": policy.fee_base_msat,
         "fee_per_mil": policy.fee_ppm, "fee_rate": policy.fee_ppm / 1_000_000}
        for c in call.network.channels_of(call.node.name)
    ]
    return proto.marshal("FeeReportResponse", {"channel_fees": fees})


def add_invoice(call):
    """`rpcServer.AddInvoice`."""
    record = call.node.invoices.add(call.req, hold=False)
    return proto.marshal("AddInvoiceResponse", {
        "r_hash": record.payment_hash, "payment_request": record.payment_request,
        "add_index": record.add_index, "payment_addr": record.payment_addr,
    })


def list_invoices(call):
    """`rpcServer.ListInvoices`."""
    req = call.req
    start, end = req.get("creation_date_start", 0), req.get("creation_date_end", 0)
    if start and end and start >= end:
        raise unknown(f"start date({start}) must be before end date({end})")
    records, first, last = call.node.invoices.query(
        req.get("index_offset", 0), req.get("num_max_invoices", 0), req.get("pending_only", False),
        req.get("reversed", False), start, end,
    )
    return proto.marshal("ListInvoiceResponse", {
        "invoices": [r.to_rpc() for r in records], "last_index_offset": last, "first_index_offset": first,
    })


def lookup_invoice(call):
    """`rpcServer.LookupInvoice`: hex hash in the path; NotFound -> 404."""
    try:
        payment_hash = gofmt.hex_decode(call.req.get("r_hash_str", ""))
    except ValueError as exc:
        raise unknown(str(exc)) from None
    if len(payment_hash) != 32:
        raise unknown(f"payment hash must be exactly 32 bytes, is instead {len(payment_hash)}")
    return proto.marshal("Invoice", call.node.invoices.lookup(payment_hash).to_rpc())


def subscribe_invoices(call):
    """`rpcServer.SubscribeInvoices`: backlog (add_index/settle_index > 0), then OPEN and SETTLED events."""
    registry = call.node.invoices
    client_add, client_settle = call.req.get("add_index", 0), call.req.get("settle_index", 0)
    with call.network.lock:
        registry.expire_due()
        records = list(registry.invoices.values())
        backlog = [r.to_rpc() for r in records if client_add and r.add_index > client_add]
        settled = sorted((r for r in records if client_settle and r.settle_index > client_settle),
                         key=lambda r: r.settle_index)
        backlog += [r.to_rpc() for r in settled]
        position = len(registry.events)
    for invoice in backlog:
        yield proto.marshal("Invoice", invoice)
    while True:
        event = wait_for_item(call, registry.events, position)
        if event is None:
            return
        position += 1
        kind, index, snapshot = event
        if (kind == "settle" and client_settle >= index) or (kind == "add" and client_add >= index):
            continue
        client_settle, client_add = (index, client_add) if kind == "settle" else (client_settle, index)
        yield snapshot


def _route_hints_rpc(route_hints):
    return [
        {"hop_hints": [
            {"node_id": h.node_id.hex(), "chan_id": h.chan_id, "fee_base_msat": h.fee_base_msat,
             "fee_proportional_millionths": h.fee_proportional_millionths,
             "cltv_expiry_delta": h.cltv_expiry_delta}
            for h in route
        ]}
        for route in route_hints
    ]


def decode_pay_req(call):
    """`rpcServer.DecodePayReq` (no expiry check)."""
    try:
        inv = bolt11.decode(call.req.get("pay_req", ""), call.network.params)
    except bolt11.Bolt11Error as exc:
        raise unknown(str(exc)) from None
    return proto.marshal("PayReq", {
        "destination": inv.destination.hex(), "payment_hash": inv.payment_hash.hex(),
        "num_satoshis": (inv.amount_msat or 0) // 1000, "timestamp": inv.timestamp,
        "expiry": inv.expiry_seconds, "description": inv.description or "",
        "description_hash": (inv.description_hash or b"").hex(), "fallback_addr": inv.fallback_addr or "",
        "cltv_expiry": inv.cltv_delta, "route_hints": _route_hints_rpc(inv.route_hints),
        "payment_addr": inv.payment_addr or bytes(32), "num_msat": inv.amount_msat or 0,
        "features": features.rpc_features(inv.features),
    })


def list_payments(call):
    """`rpcServer.ListPayments`."""
    records, first, last, total = call.node.payments.query(call.req)
    payments = [r.to_rpc() for r in records]
    if call.req.get("omit_hops"):
        for payment in payments:
            for htlc in payment["htlcs"]:
                htlc["route"]["hops"] = []
    return proto.marshal("ListPaymentsResponse", {
        "payments": payments, "first_index_offset": first, "last_index_offset": last,
        "total_num_payments": total,
    })


# --- Router service (routerrpc/router_server.go) ---------------------------------------------


def _payment_updates(call, record, index, no_inflight_updates):
    """Stream a payment's snapshots from `index` until a terminal one."""
    while True:
        snapshot = wait_for_item(call, record.updates, index)
        if snapshot is None:
            return
        index += 1
        if no_inflight_updates and snapshot["status"] in ("IN_FLIGHT", "INITIATED"):
            continue
        yield snapshot
        if snapshot["status"] in TERMINAL:
            return


def send_payment_v2(call):
    """`Server.SendPaymentV2`: pre-dispatch errors before the first message; then updates."""
    engine = call.node.payments
    with call.network.lock:
        record = engine.start(engine.intent(call.req))
    yield from _payment_updates(call, record, 0, call.req.get("no_inflight_updates", False))


def track_payment_v2(call):
    """`Server.TrackPaymentV2`: current state first, then updates until terminal."""
    payment_hash = make_hash(call.req.get("payment_hash", b""))
    with call.network.lock:
        record = call.node.payments.payments.get(payment_hash)
        if record is None:
            raise RpcError(NOT_FOUND, "payment isn't initiated")
        start = len(record.updates) - 1
    yield from _payment_updates(call, record, start, call.req.get("no_inflight_updates", False))


def estimate_route_fee(call):
    """`Server.EstimateRouteFee`: graph estimate for dest+amt_sat, simulated probe for an invoice."""
    req = call.req
    if bool(req.get("dest")) == bool(req.get("payment_request")):
        raise unknown("specify either a destination or an invoice")
    if req.get("dest"):
        return _estimate_to_dest(call, req["dest"], req.get("amt_sat", 0))
    return _estimate_by_probe(call, req["payment_request"])


def _estimate_to_dest(call, dest, amt_sat):
    if len(dest) != 33:
        raise unknown("invalid length destination key")
    if amt_sat <= 0:
        raise unknown("amount must be greater than 0")
    net, name = call.network, call.node.name
    if net.outbound_msat(name) < amt_sat * 1000:
        raise unknown("insufficient local balance")
    payee = net.node_by_pubkey(dest)
    route = payee and net.find_route(name, payee.name, amt_sat * 1000, 100_000_000_000, 80)
    if not route:
        raise unknown("unable to find a path to destination")
    return proto.marshal("RouteFeeResponse", {
        "routing_fee_msat": route.total_fees_msat, "time_lock_delay": route.total_time_lock,
        "failure_reason": "FAILURE_REASON_NONE",
    })


def _estimate_by_probe(call, payment_request):
    try:
        inv = bolt11.decode(payment_request, call.network.params)
    except bolt11.Bolt11Error as exc:
        raise unknown(str(exc)) from None
    if not inv.amount_msat:
        raise unknown("payment request amount must be greater than 0")
    net, name = call.network, call.node.name
    payee = net.node_by_pubkey(inv.destination)
    route = None
    if payee is not None and payee.name != name:
        route = net.find_route(name, payee.name, inv.amount_msat, 100_000_000_000, inv.cltv_delta)
    if route is None:
        reason = ("FAILURE_REASON_INSUFFICIENT_BALANCE" if net.outbound_msat(name) < inv.amount_msat
                  else "FAILURE_REASON_NO_ROUTE")
        return proto.marshal("RouteFeeResponse", {"failure_reason": reason})
    return proto.marshal("RouteFeeResponse", {
        "routing_fee_msat": route.total_fees_msat, "time_lock_delay": route.total_time_lock,
        "failure_reason": "FAILURE_REASON_NONE",
    })


# --- Invoices service (invoicesrpc/invoices_server.go) ------------------------------------------


def add_hold_invoice(call):
    """`Server.AddHoldInvoice` (response has no r_hash)."""
    record = call.node.invoices.add(call.req, hold=True)
    return proto.marshal("AddHoldInvoiceResp", {
        "payment_request": record.payment_request, "add_index": record.add_index,
        "payment_addr": record.payment_addr,
    })


def settle_invoice(call):
    """`Server.SettleInvoice`."""
    call.node.invoices.settle_hold(make_hash(call.req.get("preimage", b""), "preimage"))
    return proto.marshal("SettleInvoiceResp", {})


def cancel_invoice(call):
    """`Server.CancelInvoice`."""
    call.node.invoices.cancel(make_hash(call.req.get("payment_hash", b"")))
    return proto.marshal("CancelInvoiceResp", {})


def lookup_invoice_v2(call):
    """`Server.LookupInvoiceV2` (NotFound -> 404, bad input -> 400)."""
    req, registry = call.req, call.node.invoices
    if "payment_hash" in req:
        if len(req["payment_hash"]) != 32:
            raise RpcError(
                INVALID_ARGUMENT,
                f"unable to parse pay hash: invalid hash length of {len(req['payment_hash'])}, want 32",
            )
        record = registry.invoices.get(req["payment_hash"])
    elif "payment_addr" in req:
        record = next((r for r in registry.invoices.values() if r.payment_addr == req["payment_addr"]), None)
    elif "set_id" in req:
        record = None
    else:
        raise RpcError(INVALID_ARGUMENT, "invoice ref must be set")
    registry.expire_due()
    if not registry.invoices:
        raise unknown("there are no existing invoices")
    if record is None:
        raise RpcError(NOT_FOUND, "unable to locate invoice")
    return proto.marshal("Invoice", record.to_rpc())


def subscribe_single_invoice(call):
    """`Server.SubscribeSingleInvoice`: current state, every change, end after SETTLED/CANCELED.

    An unknown hash is watched until the invoice is created, as LND does.
    """
    payment_hash = make_hash(call.req.get("r_hash", b""))
    registry = call.node.invoices

    def current_record():
        registry.expire_due()
        return registry.invoices.get(payment_hash)

    record = wait_for(call, current_record)
    if record is None:
        return
    with call.network.lock:
        index = len(record.updates) - 1
    while True:
        snapshot = wait_for_item(call, record.updates, index, refresh=registry.expire_due)
        if snapshot is None:
            return
        index += 1
        yield snapshot
        if snapshot["state"] in ("SETTLED", "CANCELED"):
            return


RPCS = {
    "GetInfo": RpcSpec("GetInfoRequest", "info:read", get_info),
    "WalletBalance": RpcSpec("WalletBalanceRequest", "onchain:read", wallet_balance),
    "ChannelBalance": RpcSpec("ChannelBalanceRequest", "offchain:read", channel_balance),
    "ListChannels": RpcSpec("ListChannelsRequest", "offchain:read", list_channels),
    "PendingChannels": RpcSpec("PendingChannelsRequest", "offchain:read", pending_channels),
    "ClosedChannels": RpcSpec("ClosedChannelsRequest", "offchain:read", closed_channels),
    "FeeReport": RpcSpec("FeeReportRequest", "offchain:read", fee_report),
    "AddInvoice": RpcSpec("Invoice", "invoices:write", add_invoice, body=True),
    "ListInvoices": RpcSpec("ListInvoiceRequest", "invoices:read", list_invoices),
    "LookupInvoice": RpcSpec("PaymentHash", "invoices:read", lookup_invoice),
    "SubscribeInvoices": RpcSpec("InvoiceSubscription", "invoices:read", subscribe_invoices, stream=True),
    "DecodePayReq": RpcSpec("PayReqString", "offchain:read", decode_pay_req),
    "ListPayments": RpcSpec("ListPaymentsRequest", "offchain:read", list_payments),
    "SendPaymentV2": RpcSpec("SendPaymentRequest", "offchain:write", send_payment_v2, stream=True, body=True),
    "TrackPaymentV2": RpcSpec("TrackPaymentRequest", "offchain:read", track_payment_v2, stream=True),
    "EstimateRouteFee": RpcSpec("RouteFeeRequest", "offchain:read", estimate_route_fee, body=True),
    "AddHoldInvoice": RpcSpec("AddHoldInvoiceRequest", "invoices:write", add_hold_invoice, body=True),
    "SettleInvoice": RpcSpec("SettleInvoiceMsg", "invoices:write", settle_invoice, body=True),
    "CancelInvoice": RpcSpec("CancelInvoiceMsg", "invoices:write", cancel_invoice, body=True),
    "LookupInvoiceV2": RpcSpec("LookupInvoiceMsg", "invoices:write", lookup_invoice_v2),
    "SubscribeSingleInvoice": RpcSpec(
        "SubscribeSingleInvoiceRequest", "invoices:read", subscribe_single_invoice, stream=True
    ),
}

