"""The simulated network: nodes, channels, HTLC bookkeeping and pathfinding.

All state is guarded by `Network.lock`; `Network.changed` (a Condition on that
lock) is notified after every change so that streams can wait for updates.
Balances are kept in msat. The model is deliberately simple: no commitment
fees, no channel reserve, single-path payments, an omniscient pathfinder.
"""

import hashlib
import heapq
import itertools
import os
import threading
import time
from dataclasses import dataclass, field

from . import bolt11, secp256k1
from .macaroons import MacaroonStore
from .scheduler import Scheduler

BLOCK_PADDING = 3  # routing.BlockPadding, added to the final CLTV delta


@dataclass
class ChannelHtlc:
    """An HTLC pending on one channel, offered by `sender`."""

    sender: str
    amount_msat: int
    payment_hash: bytes
    htlc_index: int
    expiry_height: int
    attempt_key: tuple  # (payer name, attempt id)
    leg: int  # position of this channel in the attempt's route


@dataclass
class Channel:
    """An anchors channel between an initiator and a peer; a private one is not announced (only its two
    ends, and payers given a route hint naming it, can route through it)."""

    chan_id: int
    channel_point: str
    initiator: str
    peer: str
    capacity_sat: int
    push_sat: int
    balance_msat: dict
    htlcs: list = field(default_factory=list)
    next_htlc_index: int = 0
    sent_msat: dict = field(default_factory=dict)
    received_msat: dict = field(default_factory=dict)
    num_updates: int = 0
    private: bool = False

    def other(self, name):
        """The node at the other end from `name`."""
        return self.peer if name == self.initiator else self.initiator

    def has(self, name):
        """Whether `name` is one of the two ends."""
        return name in (self.initiator, self.peer)


@dataclass
class NodePolicy:
    """Forwarding policy applied by a node on all its channels (LND defaults)."""

    fee_base_msat: int = 1000
    fee_ppm: int = 1
    time_lock_delta: int = 80

    def fee(self, amount_msat):
        """Fee charged for forwarding amount_msat."""
        return self.fee_base_msat + amount_msat * self.fee_ppm // 1_000_000


@dataclass
class Node:
    """One simulated LND node."""

    name: str
    privkey: bytes
    policy: NodePolicy
    macaroons: MacaroonStore = field(default_factory=MacaroonStore)
    alias: str = ""
    color: str = "#3399ff"
    onchain_sat: int = 100_000_000
    invoices: object = None  # InvoiceRegistry, attached by the simulator
    payments: object = None  # PaymentEngine, attached by the simulator

    @property
    def pubkey(self):
        """33-byte compressed identity key."""
        return secp256k1.pubkey_from_privkey(self.privkey)


@dataclass
class RouteHop:
    """One hop of a route, as `route.Hop` in LND."""

    node: str
    pub_key: bytes
    chan_id: int
    amt_to_forward_msat: int
    fee_msat: int
    expiry: int


@dataclass
class Route:
    """A single-path route; `legs` are (channel, sender, amount_msat) per channel."""

    hops: list
    legs: list
    total_amt_msat: int
    total_time_lock: int

    @property
    def total_fees_msat(self):
        """Sum of forwarding fees."""
        return self.total_amt_msat - self.hops[-1].amt_to_forward_msat


class Network:
    """Nodes and channels plus the global lock, clock and scheduler."""

    def __init__(self, network_params, block_height=1000, htlc_delay_ms=20):
        self.params = network_params
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.scheduler = Scheduler()
        self.nodes = {}
        self.channels = []
        self.block_height = block_height
        self.block_hash = os.urandom(32).hex()
        self.best_header_timestamp = int(time.time())
        self.htlc_delay = htlc_delay_ms / 1000
        self.counters = {}  # payment hash hex -> {"sends", "initiated", "succeeded", "failed"}
        self._scid = itertools.count(1)

    # --- topology -------------------------------------------------------------

    def add_node(self, node):
        """Register a node."""
        self.nodes[node.name] = node

    def node_by_pubkey(self, pubkey):
        """The simulated node with this identity key, or None."""
        return next((n for n in self.nodes.values() if n.pubkey == pubkey), None)

    def open_channel(self, initiator, peer, capacity_sat, push_sat=0, private=False):
        """Create an open channel (funded by the initiator, push_sat given to the peer)."""
        index = next(self._scid)
        chan_id = (100 + index) << 40 | 1 << 16
        txid = hashlib.sha256(os.urandom(32)).hexdigest()
        balances = {initiator: (capacity_sat - push_sat) * 1000, peer: push_sat * 1000}
        channel = Channel(
            chan_id, f"{txid}:0", initiator, peer, capacity_sat, push_sat, balances,
            sent_msat={initiator: 0, peer: 0}, received_msat={initiator: 0, peer: 0}, private=private,
        )
        self.channels.append(channel)
        return channel

    def hop_hints(self, name):
        """Route hints of `name`'s private channels (`invoicesrpc.SelectHopHints`): one single-hop route per
        channel, from the peer, with the peer's forwarding policy."""
        hints = []
        for channel in self.channels_of(name):
            if channel.private:
                peer = self.nodes[channel.other(name)]
                hints.append([bolt11.HopHint(
                    peer.pubkey, channel.chan_id, peer.policy.fee_base_msat, peer.policy.fee_ppm,
                    peer.policy.time_lock_delta,
                )])
        return hints

    def channels_of(self, name):
        """Channels with `name` at one end."""
        return [c for c in self.channels if c.has(name)]

    def notify(self):
        """Wake every waiting stream (caller holds the lock)."""
        self.changed.notify_all()

    def count(self, payment_hash, key):
        """Increment a per-hash counter reported by the control API."""
        entry = self.counters.setdefault(
            payment_hash.hex(), {"sends": 0, "initiated": 0, "succeeded": 0, "failed": 0}
        )
        entry[key] += 1

    # --- pathfinding ------------------------------------------------------------

    def outbound_msat(self, name):
        """Total spendable local balance of a node."""
        return sum(c.balance_msat[name] for c in self.channels_of(name))

    def find_route(self, source, dest, amount_msat, fee_limit_msat, final_cltv, hinted=frozenset()):
        """Cheapest single path from source to dest for amount_msat, or None.

        Searches backwards from the destination like LND's findPath, charging
        each intermediate node's fee; only channels whose sender side can
        carry the amount are used (the simulator knows every balance). A
        private channel is used only by one of its ends or when its chan_id is
        in `hinted` (the invoice's route hints), as gossip never shows it.
        """
        tiebreak = itertools.count()
        heap = [(0, 0, next(tiebreak), dest, amount_msat, ())]
        while heap:
            _, _, _, node, need, path = heapq.heappop(heap)
            if node == source:
                return self._build_route(path, amount_msat, final_cltv)
            visited = {leg[1] for leg in path} | {dest}
            for channel in self.channels_of(node):
                prev = channel.other(node)
                if prev in visited or channel.balance_msat[prev] < need:
                    continue
                if channel.private and source not in (node, prev) and channel.chan_id not in hinted:
                    continue
                sent = need if prev == source else need + self.nodes[prev].policy.fee(need)
                if sent - amount_msat > fee_limit_msat:
                    continue
                leg = (channel, prev, need)
                entry = (sent - amount_msat, len(path) + 1, next(tiebreak), prev, sent, (leg,) + path)
                heapq.heappush(heap, entry)
        return None

    def _build_route(self, legs, amount_msat, final_cltv):
        """Turn legs (channel, sender, amount carried) into LND's route shape."""
        hops = []
        total_lock = self.block_height + final_cltv + BLOCK_PADDING
        for i in range(len(legs) - 1, -1, -1):
            channel, sender, _ = legs[i]
            receiver = channel.other(sender)
            forward = legs[i + 1][2] if i + 1 < len(legs) else amount_msat
            hops.insert(0, RouteHop(
                receiver, self.nodes[receiver].pubkey, channel.chan_id, forward,
                legs[i][2] - forward, total_lock,
            ))
            if i > 0:
                total_lock += self.nodes[receiver].policy.time_lock_delta
        return Route(hops, list(legs), legs[0][2], total_lock)

    # --- HTLC bookkeeping -------------------------------------------------------

    def add_htlcs(self, route, payment_hash, attempt_key):
        """Lock the route's amounts as pending HTLCs on every channel."""
        for leg_index, (channel, sender, amount) in enumerate(route.legs):
            channel.balance_msat[sender] -= amount
            channel.htlcs.append(ChannelHtlc(
                sender, amount, payment_hash, channel.next_htlc_index,
                route.total_time_lock if leg_index == 0 else route.hops[leg_index - 1].expiry,
                attempt_key, leg_index,
            ))
            channel.next_htlc_index += 1
            channel.num_updates += 1

    def resolve_htlcs(self, route, attempt_key, settled):
        """Settle (pay the receivers) or fail (refund the senders) the attempt's HTLCs."""
        for channel, sender, amount in route.legs:
            channel.htlcs = [h for h in channel.htlcs if h.attempt_key != attempt_key]
            receiver = channel.other(sender)
            if settled:
                channel.balance_msat[receiver] += amount
                channel.sent_msat[sender] += amount
                channel.received_msat[receiver] += amount
            else:
                channel.balance_msat[sender] += amount
            channel.num_updates += 1
