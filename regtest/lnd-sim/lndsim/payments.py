"""Outgoing payments of one node: SendPaymentV2 validation, the payment lifecycle, ListPayments.

Validation order and texts follow `lnrpc/routerrpc/router_backend.go`
(`extractIntentFromSendRequest`, `ValidatePayReqExpiry`) and the duplicate
checks of `payments/db` (`invoice is already paid`, `payment is in
transition`, `payment already exists` while INITIATED, before the first HTLC); the JSON shape follows `MarshallPayment`, `MarshalHTLCAttempt`,
`MarshallRoute` and `marshallWireError`. Callers hold `Network.lock`; the
lifecycle runs on the network scheduler.
"""

import time
from dataclasses import dataclass, field

from . import bolt11, gofmt, proto
from .invoices import amount_msat, make_hash, paginate
from .rpcerror import ALREADY_EXISTS, RpcError, unknown

DEFAULT_TIMEOUT_SECONDS = 60
DEFAULT_FINAL_CLTV_DELTA = 80
ZERO_PREIMAGE = bytes(32)
TERMINAL = ("SUCCEEDED", "FAILED")
ACTIVE = ("INITIATED", "IN_FLIGHT")


@dataclass
class HtlcAttempt:
    """One HTLC attempt of a payment (single path)."""

    attempt_id: int
    route: object
    attempt_time_ns: int
    status: str = "IN_FLIGHT"
    resolve_time_ns: int = 0
    failure: dict | None = None
    preimage: bytes = b""
    held: bool = False

    def to_rpc(self, payment_addr):
        """`lnrpc.HTLCAttempt` fields."""
        return {
            "attempt_id": self.attempt_id, "status": self.status,
            "route": route_to_rpc(self.route, payment_addr), "attempt_time_ns": self.attempt_time_ns,
            "resolve_time_ns": self.resolve_time_ns, "failure": self.failure, "preimage": self.preimage,
        }


@dataclass
class PaymentRecord:
    """One payment (one payment hash) as the control tower stores it."""

    payment_hash: bytes
    value_msat: int
    payment_request: str
    payment_index: int
    dest: bytes
    payment_addr: bytes | None
    final_cltv: int
    fee_limit_msat: int
    hinted: frozenset = frozenset()  # chan_ids named by the invoice's route hints
    creation_time_ns: int = field(default_factory=time.time_ns)
    status: str = "INITIATED"  # IN_FLIGHT from the first HTLC on
    failure_reason: str = "FAILURE_REASON_NONE"
    htlcs: list = field(default_factory=list)
    updates: list = field(default_factory=list)  # rpc snapshots, one per state change

    def to_rpc(self):
        """`lnrpc.Payment` fields, as MarshallPayment fills them."""
        settled = [a for a in self.htlcs if a.status == "SUCCEEDED"]
        fee = sum(a.route.total_fees_msat for a in settled)
        preimage = settled[-1].preimage if settled else ZERO_PREIMAGE
        return {
            "payment_hash": self.payment_hash.hex(), "value": self.value_msat // 1000,
            "creation_date": self.creation_time_ns // 1_000_000_000, "fee": fee // 1000,
            "payment_preimage": preimage.hex(), "value_sat": self.value_msat // 1000,
            "value_msat": self.value_msat, "payment_request": self.payment_request,
            "status": self.status, "fee_sat": fee // 1000, "fee_msat": fee,
            "creation_time_ns": self.creation_time_ns,
            "htlcs": [a.to_rpc(self.payment_addr) for a in self.htlcs],
            "payment_index": self.payment_index, "failure_reason": self.failure_reason,
        }

    def in_flight_attempt(self):
        """The attempt still waiting for a result, if any."""
        return next((a for a in self.htlcs if a.status == "IN_FLIGHT"), None)


def route_to_rpc(route, payment_addr):
    """`MarshallRoute`: note chan_capacity is the incoming amount in sat, as LND reports it."""
    hops, incoming = [], route.total_amt_msat
    for index, hop in enumerate(route.hops):
        final = index == len(route.hops) - 1
        mpp = {"payment_addr": payment_addr, "total_amt_msat": hop.amt_to_forward_msat}
        hops.append({
            "chan_id": hop.chan_id, "chan_capacity": incoming // 1000,
            "amt_to_forward": hop.amt_to_forward_msat // 1000, "fee": hop.fee_msat // 1000,
            "expiry": hop.expiry, "amt_to_forward_msat": hop.amt_to_forward_msat,
            "fee_msat": hop.fee_msat, "pub_key": hop.pub_key.hex(), "tlv_payload": True,
            "mpp_record": mpp if final and payment_addr else None,
        })
        incoming = hop.amt_to_forward_msat
    return {
        "total_time_lock": route.total_time_lock, "total_fees": route.total_fees_msat // 1000,
        "total_amt": route.total_amt_msat // 1000, "hops": hops,
        "total_fees_msat": route.total_fees_msat, "total_amt_msat": route.total_amt_msat,
        "first_hop_amount_msat": route.total_amt_msat,
    }


@dataclass
class PaymentIntent:
    """What SendPaymentV2 validated: who to pay, how much, under which limits."""

    dest: bytes
    payment_hash: bytes
    amount_msat: int
    payment_addr: bytes | None
    final_cltv: int
    payment_request: str
    fee_limit_msat: int
    timeout_seconds: int
    hinted: frozenset = frozenset()


class PaymentEngine:
    """Payments sent by one node."""

    def __init__(self, network, node, faults):
        self.network = network
        self.node = node
        self.faults = faults
        self.payments = {}  # payment hash -> PaymentRecord
        self.next_payment_index = 1
        self.next_attempt_id = 1
        self.retired = False

    # --- SendPaymentV2 -------------------------------------------------------------

    def intent(self, req):
        """Validate a SendPaymentRequest (`extractIntentFromSendRequest`); returns a PaymentIntent."""
        if not -1 <= req.get("time_pref", 0.0) <= 1:
            raise unknown("time preference out of range")
        fee_limit = amount_msat(req.get("fee_limit_sat", 0), req.get("fee_limit_msat", 0))
        amount = amount_msat(req.get("amt", 0), req.get("amt_msat", 0))
        timeout = req.get("timeout_seconds", 0) or DEFAULT_TIMEOUT_SECONDS
        if req.get("payment_request"):
            intent = self._intent_from_invoice(req, amount, fee_limit, timeout)
        else:
            intent = self._intent_from_dest(req, amount, fee_limit, timeout)
        if not req.get("allow_self_payment") and intent.dest == self.node.pubkey:
            raise unknown("self-payments not allowed")
        return intent

    def _intent_from_invoice(self, req, amount, fee_limit, timeout):
        for key in ("dest", "payment_hash", "final_cltv_delta"):
            if req.get(key):
                raise unknown(f"{key} and payment_request cannot appear together")
        try:
            inv = bolt11.decode(req["payment_request"], self.network.params)
        except bolt11.Bolt11Error as exc:
            raise unknown(str(exc)) from None
        valid_until = inv.timestamp + inv.expiry_seconds
        if time.time() > valid_until:
            raise unknown(f"invoice expired. Valid until {gofmt.time_v(valid_until)}")
        if inv.payment_addr is None:
            raise unknown("payment request must contain either a payment address or blinded paths")
        if inv.amount_msat is None and not amount:
            raise unknown("amount must be specified when paying a zero amount invoice")
        if inv.amount_msat is not None and amount:
            raise unknown("amount must not be specified when paying a non-zero amount invoice")
        return PaymentIntent(
            inv.destination, inv.payment_hash, inv.amount_msat or amount, inv.payment_addr,
            inv.cltv_delta, req["payment_request"], fee_limit, timeout,
            frozenset(hop.chan_id for route in inv.route_hints for hop in route),
        )

    def _intent_from_dest(self, req, amount, fee_limit, timeout):
        dest = req.get("dest", b"")
        if len(dest) != 33:
            raise unknown(f"invalid vertex length of {len(dest)}, want 33")
        if not amount:
            raise unknown("amount must be specified")
        return PaymentIntent(
            dest, make_hash(req.get("payment_hash", b"")), amount, req.get("payment_addr") or None,
            req.get("final_cltv_delta") or DEFAULT_FINAL_CLTV_DELTA, "", fee_limit, timeout,
        )

    def start(self, intent):
        """Initialise the payment (duplicate checks) and schedule its lifecycle."""
        self.network.count(intent.payment_hash, "sends")
        existing = self.payments.get(intent.payment_hash)
        if existing is not None and existing.status == "SUCCEEDED":
            raise RpcError(ALREADY_EXISTS, "invoice is already paid")
        if existing is not None and existing.status == "IN_FLIGHT":
            raise RpcError(ALREADY_EXISTS, "payment is in transition")
        if existing is not None and existing.status == "INITIATED":
            raise RpcError(ALREADY_EXISTS, "payment already exists")
        record = PaymentRecord(
            intent.payment_hash, intent.amount_msat, intent.payment_request, self.next_payment_index,
            intent.dest, intent.payment_addr, intent.final_cltv, intent.fee_limit_msat, intent.hinted,
        )
        self.next_payment_index += 1
        self.payments.pop(intent.payment_hash, None)
        self.payments[intent.payment_hash] = record
        self.network.count(intent.payment_hash, "initiated")
        self._publish(record)
        self.network.scheduler.call_later(self.network.htlc_delay, lambda: self._locked(self._attempt, record))
        self.network.scheduler.call_later(intent.timeout_seconds, lambda: self._locked(self._on_timeout, record))
        return record

    def _locked(self, fn, *args):
        """Run a scheduled lifecycle step under the lock, unless a reset retired this engine."""
        with self.network.lock:
            if not self.retired:
                fn(*args)

    def retire(self):
        """Ignore lifecycle steps still queued for this engine (used by the control reset)."""
        self.retired = True

    # --- lifecycle -------------------------------------------------------------------

    def _attempt(self, record):
        """Find a route and send the HTLC (unless a fault stalls or holds it)."""
        if record.status not in ACTIVE or self.faults.stall_payments:
            return
        route, reason = self._route(record)
        if route is None:
            self._fail(record, reason)
            return
        attempt = HtlcAttempt(self.next_attempt_id, route, time.time_ns())
        self.next_attempt_id += 1
        self.network.add_htlcs(route, record.payment_hash, (self.node.name, attempt.attempt_id))
        record.htlcs.append(attempt)
        record.status = "IN_FLIGHT"
        self._publish(record)
        if self.faults.hold_payments:
            attempt.held = True
            return
        delay = self.network.htlc_delay * len(route.hops) + self.faults.payment_latency()
        self.network.scheduler.call_later(delay, lambda: self._locked(self._deliver, record, attempt))

    def _route(self, record):
        """(route, None) or (None, failure reason) as LND's pathfinding decides."""
        payee = self.network.node_by_pubkey(record.dest)
        if payee is None or payee is self.node:
            return None, "FAILURE_REASON_NO_ROUTE"
        if self.network.outbound_msat(self.node.name) < record.value_msat:
            return None, "FAILURE_REASON_INSUFFICIENT_BALANCE"
        route = self.network.find_route(
            self.node.name, payee.name, record.value_msat, record.fee_limit_msat, record.final_cltv, record.hinted
        )
        return route, (None if route else "FAILURE_REASON_NO_ROUTE")

    def _deliver(self, record, attempt):
        """The HTLC reaches the payee, whose invoice registry decides."""
        if attempt.status != "IN_FLIGHT":
            return
        attempt.held = False
        final_leg = attempt.route.legs[-1][0]
        htlc = next(h for h in final_leg.htlcs if h.attempt_key == (self.node.name, attempt.attempt_id))
        payee = self.network.nodes[attempt.route.hops[-1].node]
        outcome, preimage = payee.invoices.accept_htlc(
            record.payment_hash, attempt.route.hops[-1].amt_to_forward_msat, record.payment_addr,
            final_leg.chan_id, htlc.htlc_index, htlc.expiry_height,
            lambda settled, image: self._on_hold_resolved(record, attempt, settled, image),
        )
        if outcome == "settle":
            self._settle(record, attempt, preimage)
        elif outcome == "fail":
            self._payee_rejected(record, attempt)

    def _payee_rejected(self, record, attempt):
        """The final hop failed the HTLC: INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS, as marshallWireError shows it."""
        failure = {
            "code": "INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS", "height": self.network.block_height,
            "failure_source_index": len(attempt.route.hops),
        }
        self._fail_attempt(record, attempt, failure, "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS")

    def _on_hold_resolved(self, record, attempt, settled, preimage):
        """Callback from the payee's registry when a hold invoice is settled or canceled."""
        if settled:
            self._settle(record, attempt, preimage)
        else:
            self._payee_rejected(record, attempt)

    def _settle(self, record, attempt, preimage):
        self.network.resolve_htlcs(attempt.route, (self.node.name, attempt.attempt_id), settled=True)
        attempt.status, attempt.preimage, attempt.resolve_time_ns = "SUCCEEDED", preimage, time.time_ns()
        record.status = "SUCCEEDED"
        record.failure_reason = "FAILURE_REASON_NONE"
        self.network.count(record.payment_hash, "succeeded")
        self._publish(record)

    def _fail_attempt(self, record, attempt, failure, reason):
        self.network.resolve_htlcs(attempt.route, (self.node.name, attempt.attempt_id), settled=False)
        attempt.status, attempt.failure, attempt.resolve_time_ns = "FAILED", failure, time.time_ns()
        if record.failure_reason == "FAILURE_REASON_TIMEOUT":
            reason = "FAILURE_REASON_TIMEOUT"
        self._fail(record, reason)

    def _fail(self, record, reason):
        record.status, record.failure_reason = "FAILED", reason
        self.network.count(record.payment_hash, "failed")
        self._publish(record)

    def _on_timeout(self, record):
        """After timeout_seconds: fail now if no HTLC is out, else remember the reason."""
        if record.status not in ACTIVE:
            return
        if record.in_flight_attempt() is None:
            self._fail(record, "FAILURE_REASON_TIMEOUT")
        else:
            record.failure_reason = "FAILURE_REASON_TIMEOUT"
            self._publish(record)

    def resolve_held(self, payment_hash, outcome, failure_reason=None):
        """Control API: release a held HTLC to the payee, or fail it back."""
        record = self.payments.get(payment_hash)
        attempt = record.in_flight_attempt() if record else None
        if attempt is None or not attempt.held:
            raise ValueError("no held payment with this hash")
        if outcome == "succeeded":
            self._deliver(record, attempt)
            return
        failure = {"code": "TEMPORARY_CHANNEL_FAILURE", "failure_source_index": 1}
        self._fail_attempt(record, attempt, failure, failure_reason or "FAILURE_REASON_NO_ROUTE")

    def _publish(self, record):
        record.updates.append(proto.marshal("Payment", record.to_rpc()))
        self.network.notify()

    # --- queries -------------------------------------------------------------------------

    def query(self, req):
        """ListPayments (`payments/db` QueryPayments); returns (records, first, last, total)."""
        date_start, date_end = req.get("creation_date_start", 0), req.get("creation_date_end", 0)
        if date_start and date_end and date_start >= date_end:
            raise unknown(f"start date({date_start}) must be before end date({date_end})")
        records = [
            p for p in sorted(self.payments.values(), key=lambda p: p.payment_index)
            if (p.status == "SUCCEEDED" or req.get("include_incomplete"))
            and p.creation_time_ns // 1_000_000_000 >= date_start
            and (not date_end or p.creation_time_ns // 1_000_000_000 <= date_end)
        ]
        page = paginate(
            records, lambda p: p.payment_index, req.get("index_offset", 0),
            req.get("max_payments", 0) or 100, req.get("reversed", False),
        )
        total = len(self.payments) if req.get("count_total_payments") else 0
        first = page[0].payment_index if page else 0
        last = page[-1].payment_index if page else 0
        return page, first, last, total
