"""Assembles the simulator: state directory, nodes, channels, listeners, control API, nodes.json."""

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from . import bolt11, tlscert
from .control import ControlServer
from .faults import NodeFaults
from .invoices import InvoiceRegistry
from .network import Network, Node, NodePolicy
from .payments import PaymentEngine
from .server import RestServer

FAULT_KINDS = (
    "refuse", "delay", "latency", "payment_latency", "hold_payments", "stall_payments", "drop_stream", "error",
    "clear",
)
FAILURE_REASONS = (
    "FAILURE_REASON_TIMEOUT", "FAILURE_REASON_NO_ROUTE", "FAILURE_REASON_ERROR",
    "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS", "FAILURE_REASON_INSUFFICIENT_BALANCE",
    "FAILURE_REASON_CANCELED",
)


@dataclass
class ChannelSpec:
    """One --channel argument."""

    initiator: str
    peer: str
    capacity_sat: int
    push_sat: int = 0
    private: bool = False


@dataclass
class SimConfig:
    """Command-line configuration."""

    state_dir: Path
    node_names: list
    channels: list
    network: str = "regtest"
    fee_base_msat: int = 1000
    fee_ppm: int = 1
    htlc_delay_ms: int = 20
    block_height: int = 1000
    seed: str | None = None
    host: str = "127.0.0.1"


class Simulator:
    """All simulated nodes of one process."""

    def __init__(self, config):
        self.config = config
        self.state_dir = Path(config.state_dir).resolve()
        self.network = Network(bolt11.NETWORKS[config.network], config.block_height, config.htlc_delay_ms)
        self.faults = {}
        self.servers = {}
        self.control = None
        for name in config.node_names:
            self._create_node(name)
        self._initial_keys = {name: node.privkey for name, node in self.network.nodes.items()}
        self._open_channels()

    # --- construction ------------------------------------------------------------------

    def _create_node(self, name):
        privkey = self._privkey(name)
        policy = NodePolicy(self.config.fee_base_msat, self.config.fee_ppm)
        node = Node(name, privkey, policy, alias=name)
        node_dir = self.state_dir / name
        node_dir.mkdir(parents=True, exist_ok=True)
        for kind, raw in node.macaroons.bake_all().items():
            macaroon = node_dir / f"{kind}.macaroon"
            macaroon.write_bytes(raw)
            macaroon.chmod(0o640)  # as LND writes them; t4gd refuses a macaroon every user can read
        tlscert.generate(node_dir / "tls.cert", node_dir / "tls.key", name, self.config.host)
        faults = NodeFaults()
        node.invoices = InvoiceRegistry(self.network, node)
        node.payments = PaymentEngine(self.network, node, faults)
        self.network.add_node(node)
        self.faults[name] = faults
        context = tlscert.server_context(node_dir / "tls.cert", node_dir / "tls.key")
        self.servers[name] = RestServer(self.network, node, faults, context, self.config.host)

    def _privkey(self, name):
        if self.config.seed is None:
            return os.urandom(32)
        return hashlib.sha256(f"lnd-sim/{self.config.seed}/{name}".encode()).digest()

    def _open_channels(self):
        for spec in self.config.channels:
            for name in (spec.initiator, spec.peer):
                if name not in self.network.nodes:
                    raise ValueError(f"channel names unknown node {name!r}")
            if not 0 <= spec.push_sat <= spec.capacity_sat:
                raise ValueError(f"push {spec.push_sat} outside capacity {spec.capacity_sat}")
            self.network.open_channel(spec.initiator, spec.peer, spec.capacity_sat, spec.push_sat, spec.private)
        self._initial_balances = [dict(c.balance_msat) for c in self.network.channels]

    # --- lifecycle -----------------------------------------------------------------------

    def start(self):
        """Listen on every port, then write nodes.json (atomically, last)."""
        for server in self.servers.values():
            server.start()
        self.control = ControlServer(self, self.config.host)
        self.control.start()
        manifest = self.state_dir / "nodes.json"
        temporary = manifest.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(self.manifest(), indent=2) + "\n")
        temporary.replace(manifest)
        return manifest

    def stop(self):
        """Close listeners and connections, stop the scheduler."""
        for server in self.servers.values():
            server.stop()
        if self.control:
            self.control.stop()
        self.network.scheduler.stop()

    def manifest(self):
        """The nodes.json document."""
        nodes = {}
        for name, node in self.network.nodes.items():
            node_dir = self.state_dir / name
            port = self.servers[name].port
            nodes[name] = {
                "name": name, "pubkey": node.pubkey.hex(), "rest_host": self.config.host, "rest_port": port,
                "url": f"https://{self.config.host}:{port}", "tls_cert": str(node_dir / "tls.cert"),
                "tls_key": str(node_dir / "tls.key"),
                **{f"{kind}_macaroon": str(node_dir / f"{kind}.macaroon") for kind in node.macaroons.raw},
                **{f"{kind}_macaroon_hex": raw.hex() for kind, raw in node.macaroons.raw.items()},
            }
        channels = [
            {"chan_id": str(c.chan_id), "channel_point": c.channel_point, "node1": c.initiator,
             "node2": c.peer, "capacity_sat": c.capacity_sat, "push_sat": c.push_sat, "private": c.private}
            for c in self.network.channels
        ]
        return {
            "network": self.config.network, "pid": os.getpid(), "control_port": self.control.port,
            "control_url": f"http://{self.config.host}:{self.control.port}", "nodes": nodes, "channels": channels,
        }

    # --- control API ---------------------------------------------------------------------

    def _node(self, body):
        name = body["node"]
        if name not in self.network.nodes:
            raise ValueError(f"unknown node {name!r}")
        return name

    def apply_fault(self, body):
        """POST /v1/fault."""
        name, kind = self._node(body), body["kind"]
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(FAULT_KINDS)}")
        faults, server = self.faults[name], self.servers[name]
        with self.network.lock:
            if kind == "clear":
                faults.clear()
            elif kind in ("refuse", "hold_payments", "stall_payments"):
                setattr(faults, kind, bool(body.get("enabled", True)))
            elif kind == "delay":
                faults.delay_ms = int(body["ms"])
            elif kind == "latency":
                faults.latencies.append(_rule(
                    {"endpoint": "*", **body}, **_latency_range(body),
                ))
            elif kind == "payment_latency":
                span = _latency_range(body)
                faults.payment_latency_ms = (span["min_ms"], span["max_ms"])
            elif kind == "drop_stream":
                faults.drops.append(_rule(
                    body, after=_positive(body.get("after", 1), "after"), grpc_code=body.get("grpc_code"),
                    message=str(body.get("message", "")), silent=bool(body.get("silent", False)),
                ))
            else:
                faults.errors.append(_rule(
                    body, grpc_code=int(body["grpc_code"]), message=str(body["message"]),
                    phase=_choice(body.get("phase", "before"), ("before", "after")),
                ))
        server.refuse(faults.refuse)
        return {"faults": _faults_json(faults)}

    def resolve(self, body):
        """POST /v1/resolve: outcome "succeeded" delivers a held HTLC, "failed" fails it back."""
        name = self._node(body)
        outcome = _choice(body.get("outcome"), ("succeeded", "failed"))
        reason = body.get("failure_reason")
        if reason is not None:
            _choice(reason, FAILURE_REASONS)
        with self.network.lock:
            engine = self.network.nodes[name].payments
            engine.resolve_held(bytes.fromhex(body["payment_hash"]), outcome, reason)
            record = engine.payments[bytes.fromhex(body["payment_hash"])]
            return {"status": record.status, "failure_reason": record.failure_reason}

    def restart(self, body):
        """POST /v1/restart: the node comes back as a rebuilt one, forgetting everything: a new identity key,
        no invoices or payments, indexes from 1. Its channels, macaroons and certificate stay, so clients
        reconnect with the same credentials; open connections are reset."""
        name = self._node(body)
        with self.network.lock:
            node = self.network.nodes[name]
            node.payments.retire()
            node.privkey = os.urandom(32)
            node.invoices = InvoiceRegistry(self.network, node)
            node.payments = PaymentEngine(self.network, node, self.faults[name])
            self.network.notify()
            pubkey = node.pubkey.hex()
        self.servers[name].reset_connections()
        return {"pubkey": pubkey}

    def reset(self):
        """POST /v1/reset: clear faults, invoices, payments, counters; restore channel balances and the node
        keys a restart replaced."""
        with self.network.lock:
            self.network.scheduler.clear()
            for name, node in self.network.nodes.items():
                self.faults[name].clear()
                node.privkey = self._initial_keys[name]
                node.payments.retire()
                node.invoices = InvoiceRegistry(self.network, node)
                node.payments = PaymentEngine(self.network, node, self.faults[name])
            for channel, balances in zip(self.network.channels, self._initial_balances, strict=True):
                channel.balance_msat = dict(balances)
                channel.htlcs.clear()
                channel.sent_msat = dict.fromkeys(balances, 0)
                channel.received_msat = dict.fromkeys(balances, 0)
                channel.num_updates = 0
            self.network.counters.clear()
            for server in self.servers.values():
                server.calls.clear()
            self.network.notify()
        for server in self.servers.values():
            server.refuse(False)
            server.reset_connections()

    def state(self):
        """GET /v1/state."""
        with self.network.lock:
            nodes = {name: self._node_state(node) for name, node in self.network.nodes.items()}
            return {"nodes": nodes, "payment_hashes": {k: dict(v) for k, v in self.network.counters.items()}}

    def _node_state(self, node):
        channels = [
            {"chan_id": str(c.chan_id), "peer": c.other(node.name), "capacity_sat": c.capacity_sat,
             "local_balance_msat": c.balance_msat[node.name], "remote_balance_msat": c.balance_msat[c.other(node.name)],
             "pending_htlcs": len(c.htlcs)}
            for c in self.network.channels_of(node.name)
        ]
        invoices = [
            {"payment_hash": r.payment_hash.hex(), "state": r.state, "value_msat": r.value_msat,
             "amt_paid_msat": r.amt_paid_msat, "add_index": r.add_index, "settle_index": r.settle_index,
             "is_hold": r.is_hold}
            for r in node.invoices.invoices.values()
        ]
        payments = [
            {"payment_hash": p.payment_hash.hex(), "status": p.status, "failure_reason": p.failure_reason,
             "value_msat": p.value_msat, "fee_msat": int(p.updates[-1]["fee_msat"]),
             "payment_index": p.payment_index, "held": any(a.held for a in p.htlcs if a.status == "IN_FLIGHT")}
            for p in node.payments.payments.values()
        ]
        return {
            "pubkey": node.pubkey.hex(), "rest_port": self.servers[node.name].port,
            "faults": _faults_json(self.faults[node.name]), "calls": dict(self.servers[node.name].calls),
            "channels": channels, "invoices": invoices, "payments": payments,
        }


def _rule(body, **extra):
    """A drop/error rule: endpoint, optional method, uses left (None = unlimited) and extras."""
    times = body.get("times")
    rule = {"endpoint": str(body["endpoint"]), "method": body.get("method"),
            "times": None if times is None else _positive(times, "times")}
    rule.update(extra)
    return rule


def _latency_range(body):
    """{"min_ms", "max_ms"} of a latency fault: a uniform distribution, 0 <= min <= max."""
    low, high = int(body["min_ms"]), int(body.get("max_ms", body["min_ms"]))
    if not 0 <= low <= high:
        raise ValueError("latency needs 0 <= min_ms <= max_ms")
    return {"min_ms": low, "max_ms": high}


def _positive(value, name):
    """int(value), which must be >= 1."""
    if int(value) < 1:
        raise ValueError(f"{name} must be at least 1")
    return int(value)


def _choice(value, allowed):
    """value if it is one of allowed, else ValueError."""
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _faults_json(faults):
    """The fault switches of a node as JSON."""
    return {
        "refuse": faults.refuse, "delay_ms": faults.delay_ms, "hold_payments": faults.hold_payments,
        "stall_payments": faults.stall_payments, "drops": list(faults.drops), "errors": list(faults.errors),
        "latencies": list(faults.latencies), "payment_latency_ms": faults.payment_latency_ms,
    }
