"""Per-node fault switches that tests flip through the control API."""

import random
from dataclasses import dataclass, field


@dataclass
class NodeFaults:
    """Fault state of one node. Mutated only under `Network.lock`."""

    refuse: bool = False  # REST listener closed, open connections reset
    delay_ms: int = 0  # added before every REST response
    hold_payments: bool = False  # outgoing HTLCs stay in flight until /v1/resolve
    stall_payments: bool = False  # outgoing payments send no HTLC (fail with TIMEOUT)
    drops: list = field(default_factory=list)  # [{"endpoint", "method", "after", "times", "grpc_code", "message",
    #                                              "silent"}]; silent: the connection stays open, nothing more comes
    latencies: list = field(default_factory=list)  # [{"endpoint", "method", "times", "min_ms", "max_ms"}]
    payment_latency_ms: tuple | None = None  # (min, max): extra time an outgoing HTLC takes to resolve
    errors: list = field(default_factory=list)  # [{"endpoint", "method", "grpc_code", "message", "times", "phase"}]

    def clear(self):
        """Switch every fault off."""
        self.__dict__.update(NodeFaults().__dict__)

    def take_error(self, method, path, route, phase):
        """The forced error for this request, consuming one use; or None."""
        return _take(self.errors, lambda e: e["phase"] == phase and _matches(e, method, path, route))

    def latency(self, method, path, route):
        """Seconds to add to this request, drawn uniformly from the first matching latency rule."""
        rule = _take(self.latencies, lambda r: _matches(r, method, path, route))
        return random.uniform(rule["min_ms"], rule["max_ms"]) / 1000 if rule else 0.0

    def payment_latency(self):
        """Seconds an outgoing HTLC takes beyond the per-hop delay (payments of 1-60 s on a real network)."""
        if self.payment_latency_ms is None:
            return 0.0
        return random.uniform(*self.payment_latency_ms) / 1000

    def take_drop(self, method, path, route):
        """The drop rule for this stream, consuming one use; or None."""
        return _take(self.drops, lambda d: _matches(d, method, path, route))


def _matches(rule, method, path, route):
    """A rule names the request path, the route template, or the template's literal prefix."""
    method_ok = rule.get("method") in (None, method)
    return method_ok and rule["endpoint"] in ("*", path, route.pattern, route.endpoint)


def _take(rules, predicate):
    for rule in rules:
        if predicate(rule):
            if rule["times"] is not None:
                rule["times"] -= 1
                if rule["times"] <= 0:
                    rules.remove(rule)
            return dict(rule)
    return None
