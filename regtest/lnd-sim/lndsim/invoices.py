"""Invoice registry of one node: AddInvoice/AddHoldInvoice, HTLC acceptance, settle, cancel, expiry.

Follows `lnrpc/invoicesrpc/addinvoice.go` (validation order and error texts),
`invoices/invoiceregistry.go` and `invoices/update_invoice.go` (state machine,
add/settle indices, which events reach SubscribeInvoices), and
`lnrpc/invoicesrpc/utils.go` `CreateRPCInvoice` (the JSON shape).
Callers hold `Network.lock`.
"""

import hashlib
import os
import time
from dataclasses import dataclass, field

from . import bolt11, features, gofmt, proto
from .rpcerror import NOT_FOUND, RpcError, unknown

MAX_MEMO_SIZE = 1024
MAX_EXPIRY_SECONDS = 365 * 24 * 3600
DEFAULT_INVOICE_EXPIRY = 86400
DEFAULT_CLTV_EXPIRY = 80  # chainreg.DefaultBitcoinTimeLockDelta
MIN_CLTV_DELTA = 24  # routing.MinCLTVDelta
MAX_FINAL_CLTV_DELTA = 65535
MAX_INVOICE_SAT = 100_000 * 100_000_000


@dataclass
class InvoiceHtlc:
    """An HTLC paying an invoice (`invoices.InvoiceHTLC`)."""

    chan_id: int
    htlc_index: int
    amt_msat: int
    accept_height: int
    accept_time: int
    expiry_height: int
    state: str = "ACCEPTED"
    resolve_time: int = 0

    def to_rpc(self):
        """`lnrpc.InvoiceHTLC` fields."""
        return {
            "chan_id": self.chan_id, "htlc_index": self.htlc_index, "amt_msat": self.amt_msat,
            "accept_height": self.accept_height, "accept_time": self.accept_time,
            "resolve_time": self.resolve_time if self.state != "ACCEPTED" else 0,
            "expiry_height": self.expiry_height, "state": self.state,
            "mpp_total_amt_msat": self.amt_msat,
        }


@dataclass
class InvoiceRecord:
    """One stored invoice."""

    memo: str
    payment_hash: bytes
    preimage: bytes | None
    value_msat: int
    creation_date: int
    payment_request: str
    description_hash: bytes | None
    expiry: int
    cltv_expiry: int
    payment_addr: bytes
    add_index: int
    is_hold: bool
    state: str = "OPEN"
    settle_date: int = 0
    settle_index: int = 0
    amt_paid_msat: int = 0
    htlcs: list = field(default_factory=list)
    on_resolve: list = field(default_factory=list)  # callbacks(settled, preimage) of held payments
    updates: list = field(default_factory=list)  # snapshots for SubscribeSingleInvoice

    @property
    def expired(self):
        """Whether the invoice expiry has passed."""
        return time.time() >= self.creation_date + self.expiry

    def to_rpc(self):
        """`lnrpc.Invoice` fields, as CreateRPCInvoice fills them."""
        return {
            "memo": self.memo, "r_preimage": self.preimage or b"", "r_hash": self.payment_hash,
            "value": self.value_msat // 1000, "value_msat": self.value_msat,
            "settled": self.state == "SETTLED", "creation_date": self.creation_date,
            "settle_date": self.settle_date, "payment_request": self.payment_request,
            "description_hash": self.description_hash or b"", "expiry": self.expiry,
            "cltv_expiry": self.cltv_expiry, "add_index": self.add_index,
            "settle_index": self.settle_index, "amt_paid": self.amt_paid_msat,
            "amt_paid_sat": self.amt_paid_msat // 1000, "amt_paid_msat": self.amt_paid_msat,
            "state": self.state, "htlcs": [h.to_rpc() for h in self.htlcs],
            "features": features.rpc_features(features.INVOICE), "payment_addr": self.payment_addr,
        }


class InvoiceRegistry:
    """Invoices of one node, their indices and the SubscribeInvoices event log."""

    def __init__(self, network, node):
        self.network = network
        self.node = node
        self.invoices = {}  # payment hash -> InvoiceRecord, in add order
        self.events = []  # (kind "add"/"settle", index, snapshot) for SubscribeInvoices
        self.next_add_index = 1
        self.next_settle_index = 1

    # --- creation -----------------------------------------------------------------

    def add(self, req, hold):
        """AddInvoice / AddHoldInvoice from a decoded request dict; returns the record."""
        value_msat = amount_msat(req.get("value", 0), req.get("value_msat", 0))
        preimage, payment_hash = self._hash_and_preimage(req, hold)
        memo = req.get("memo", "")
        description_hash = req.get("description_hash") or None
        _validate_invoice_fields(memo, description_hash, value_msat)
        expiry = _expiry(req.get("expiry", 0))
        cltv = _cltv(req.get("cltv_expiry", 0))
        if req.get("is_amp") or req.get("is_blinded"):
            raise unknown("lnd-sim: AMP and blinded invoices are not simulated")
        if payment_hash in self.invoices:
            raise unknown("invoice with payment hash already exists")
        invoice = bolt11.Invoice(
            network=self.network.params, payment_hash=payment_hash, timestamp=int(time.time()),
            amount_msat=value_msat or None, payment_addr=os.urandom(32),
            description=None if description_hash else memo, description_hash=description_hash,
            expiry=expiry, min_final_cltv=cltv, features=features.INVOICE,
            fallback_addr=req.get("fallback_addr") or None,
            # `private: true` asks for hop hints to the node's private channels (`SelectHopHints`); without
            # them a payer cannot route to a node whose channels are all private.
            route_hints=self.network.hop_hints(self.node.name) if req.get("private") else [],
        )
        return self._store(invoice, memo, preimage, hold)

    def _hash_and_preimage(self, req, hold):
        if hold:
            payment_hash = make_hash(req.get("hash", b""))
            return None, payment_hash
        preimage = req.get("r_preimage")
        preimage = make_hash(preimage, "preimage") if preimage else os.urandom(32)
        return preimage, hashlib.sha256(preimage).digest()

    def _store(self, invoice, memo, preimage, hold):
        """Sign the invoice with the node key and record it (add_index +1, an "add" event)."""
        try:
            payment_request = bolt11.encode(invoice, self.node.privkey)
        except bolt11.Bolt11Error as exc:
            raise unknown(f"invalid fallback address: {exc}") from None
        record = InvoiceRecord(
            memo, invoice.payment_hash, preimage, invoice.amount_msat or 0, invoice.timestamp,
            payment_request, invoice.description_hash, invoice.expiry, invoice.min_final_cltv,
            invoice.payment_addr, self.next_add_index, hold,
        )
        self.next_add_index += 1
        self.invoices[invoice.payment_hash] = record
        self._publish(record, "add")
        return record

    # --- lookup ---------------------------------------------------------------------

    def lookup(self, payment_hash):
        """The invoice for a hash, or RpcError NotFound (LookupInvoice semantics)."""
        self.expire_due()
        if not self.invoices:
            raise RpcError(NOT_FOUND, "there are no existing invoices")
        if payment_hash not in self.invoices:
            raise RpcError(NOT_FOUND, "unable to locate invoice")
        return self.invoices[payment_hash]

    def query(self, index_offset, max_invoices, pending_only, reversed_, date_start, date_end):
        """ListInvoices paging (`channeldb/paginate.go`); returns (records, first, last)."""
        self.expire_due()
        records = [
            r for r in self.invoices.values()
            if (not pending_only or r.state in ("OPEN", "ACCEPTED"))
            and r.creation_date >= date_start and (not date_end or r.creation_date <= date_end)
        ]
        page = paginate(records, lambda r: r.add_index, index_offset, max_invoices or 100, reversed_)
        return page, (page[0].add_index if page else 0), (page[-1].add_index if page else 0)

    # --- state changes ----------------------------------------------------------------

    def expire_due(self):
        """Cancel OPEN invoices whose expiry passed (`invoice_expiry_watcher.go`)."""
        for record in self.invoices.values():
            if record.state == "OPEN" and record.expired:
                self._cancel(record)

    def accept_htlc(self, payment_hash, amount_msat, payment_addr, chan_id, htlc_index, expiry_height, on_resolve):
        """Process an arriving HTLC: returns ("settle", preimage), ("hold", None) or ("fail", None)."""
        self.expire_due()
        record = self.invoices.get(payment_hash)
        if (
            record is None or record.state != "OPEN" or payment_addr != record.payment_addr
            or amount_msat < record.value_msat
        ):
            return "fail", None
        now = int(time.time())
        htlc = InvoiceHtlc(chan_id, htlc_index, amount_msat, self.network.block_height, now, expiry_height)
        record.htlcs.append(htlc)
        record.amt_paid_msat = amount_msat
        if record.is_hold:
            record.state = "ACCEPTED"
            record.on_resolve.append(on_resolve)
            self._publish(record, None)
            return "hold", None
        self._settle(record, now)
        return "settle", record.preimage

    def settle_hold(self, preimage):
        """SettleInvoice: ACCEPTED -> SETTLED; idempotent for SETTLED."""
        record = self.invoices.get(hashlib.sha256(make_hash(preimage, "preimage")).digest())
        if record is None:
            raise unknown("unable to locate invoice")
        if record.state == "OPEN":
            raise unknown("invoice still open")
        if record.state == "CANCELED":
            raise unknown("invoice already canceled")
        if record.state == "SETTLED":
            return
        record.preimage = preimage
        self._settle(record, int(time.time()))
        for callback in record.on_resolve:
            callback(True, preimage)
        record.on_resolve.clear()

    def cancel(self, payment_hash):
        """CancelInvoice: OPEN/ACCEPTED -> CANCELED; idempotent for CANCELED."""
        record = self.invoices.get(payment_hash)
        if record is None:
            raise unknown("unable to locate invoice")
        if record.state == "SETTLED":
            raise unknown("invoice already settled")
        if record.state != "CANCELED":
            self._cancel(record)

    def _settle(self, record, now):
        record.state = "SETTLED"
        record.settle_date = now
        record.settle_index = self.next_settle_index
        self.next_settle_index += 1
        for htlc in record.htlcs:
            htlc.state, htlc.resolve_time = "SETTLED", now
        self._publish(record, "settle")

    def _cancel(self, record):
        now = int(time.time())
        record.state = "CANCELED"
        for htlc in record.htlcs:
            htlc.state, htlc.resolve_time = "CANCELED", now
        callbacks, record.on_resolve = record.on_resolve, []
        for callback in callbacks:
            callback(False, None)
        self._publish(record, None)

    def _publish(self, record, kind):
        """Record a state change; only adds and settles reach SubscribeInvoices."""
        snapshot = proto.marshal("Invoice", record.to_rpc())
        record.updates.append(snapshot)
        if kind:
            index = record.add_index if kind == "add" else record.settle_index
            self.events.append((kind, index, snapshot))
        self.network.notify()


def amount_msat(value_sat, value_msat):
    """`lnrpc.UnmarshallAmt`."""
    if value_sat and value_msat:
        raise unknown("sat and msat arguments are mutually exclusive")
    if value_sat < 0 or value_msat < 0:
        raise unknown("amount cannot be negative")
    return value_sat * 1000 if value_sat else value_msat


def make_hash(data, what="hash"):
    """lntypes.MakeHash / MakePreimage: exactly 32 bytes."""
    if len(data) != 32:
        raise unknown(f"invalid {what} length of {len(data)}, want 32")
    return data


def _validate_invoice_fields(memo, description_hash, value_msat):
    if len(memo.encode()) > MAX_MEMO_SIZE:
        raise unknown(f"memo too large: {len(memo.encode())} bytes (maxsize={MAX_MEMO_SIZE})")
    if description_hash is not None and len(description_hash) != 32:
        raise unknown(f"description hash is {len(description_hash)} bytes, must be 32")
    if value_msat // 1000 > MAX_INVOICE_SAT:
        raise unknown(
            f"invoice amount {_btc(value_msat // 1000)} is too large, max is {_btc(MAX_INVOICE_SAT)}"
        )


def _btc(sat):
    """btcutil.Amount.String()."""
    text = f"{sat / 100_000_000:.8f}".rstrip("0").rstrip(".")
    return f"{text} BTC"


def _expiry(expiry):
    if expiry <= 0:
        return DEFAULT_INVOICE_EXPIRY
    if expiry > MAX_EXPIRY_SECONDS:
        raise unknown(
            f"expiry of {gofmt.float_v(float(expiry))} seconds greater than max expiry of "
            f"{gofmt.float_v(float(MAX_EXPIRY_SECONDS))} seconds"
        )
    return expiry


def _cltv(cltv):
    if cltv > MAX_FINAL_CLTV_DELTA:
        raise unknown(f"CLTV delta of {cltv} is too large, max accepted is: {MAX_FINAL_CLTV_DELTA}")
    if cltv and cltv < MIN_CLTV_DELTA:
        raise unknown(f"CLTV delta of {cltv} must be greater than minimum of {MIN_CLTV_DELTA}")
    return cltv or DEFAULT_CLTV_EXPIRY


def paginate(records, index_of, index_offset, limit, reversed_):
    """Select a page like `channeldb.paginator`: exclusive offset, result oldest first."""
    if reversed_:
        candidates = [r for r in records if not index_offset or index_of(r) < index_offset]
        return candidates[-limit:] if limit else []
    return [r for r in records if index_of(r) > index_offset][:limit]
