"""Self-tests for lnd-sim: start it with start.sh, drive it over HTTPS like an LND client.

Run: python3 regtest/lnd-sim/test_lnd_sim.py   (ends with "N passed, N failed"; or
python3 -m unittest -v test_lnd_sim from this directory). Standard library only, except that
setup_test_venv.sh builds a venv with the PyPI `bolt11` package as an independent decoder.
"""

import base64
import hashlib
import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lndsim import bolt11  # noqa: E402 (path set up above)
from swagger_check import Swagger  # noqa: E402

SIM = {}


def setUpModule():  # noqa: N802 (unittest naming)
    """Start one simulator for the whole module."""
    state_dir = tempfile.mkdtemp(prefix="lnd-sim-test-")
    args = [
        str(HERE / "start.sh"), state_dir, "--nodes", "alice,bob,carol,dave",
        "--channel", "alice:bob:1000000", "--channel", "bob:carol:1000000:500000",
        "--channel", "dave:carol:100000:50000:private",
    ]
    manifest = subprocess.run(args, check=True, capture_output=True, text=True, timeout=90).stdout.strip()
    SIM["dir"] = state_dir
    SIM["manifest"] = json.loads(Path(manifest).read_text())
    SIM["venv_python"] = subprocess.run(
        [str(HERE / "setup_test_venv.sh")], check=True, capture_output=True, text=True, timeout=600
    ).stdout.strip()


def tearDownModule():  # noqa: N802 (unittest naming)
    """Stop the simulator's process group and remove its state (kept with LND_SIM_KEEP=1)."""
    subprocess.run([str(HERE / "stop.sh"), SIM["dir"]], check=True, timeout=30)
    if not os.environ.get("LND_SIM_KEEP"):
        shutil.rmtree(SIM["dir"], ignore_errors=True)


# --- clients --------------------------------------------------------------------------------


class Response:
    """A finished HTTP exchange."""

    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def json(self):
        """Body parsed as one JSON document."""
        return json.loads(self.body)

    @property
    def lines(self):
        """Body parsed as newline-delimited JSON (stream framing)."""
        return [json.loads(line) for line in self.body.decode().splitlines() if line]


class Lnd:
    """Minimal REST client of one simulated node."""

    def __init__(self, name, macaroon="admin"):
        self.info = SIM["manifest"]["nodes"][name]
        self.macaroon = self.info[f"{macaroon}_macaroon_hex"] if macaroon else None
        self.connections = []

    def connection(self, timeout=10, cafile=None, keep=True):
        """An HTTPS connection trusting exactly the node's tls.cert (kept ones are closed by close())."""
        context = ssl.create_default_context(cafile=cafile or self.info["tls_cert"])
        conn = http.client.HTTPSConnection("127.0.0.1", self.info["rest_port"], context=context, timeout=timeout)
        if keep:
            self.connections.append(conn)
        return conn

    def close(self):
        """Close every connection this client opened."""
        for conn in self.connections:
            conn.close()
        self.connections.clear()

    def headers(self, extra=None):
        """Macaroon header plus extras."""
        headers = {"Grpc-Metadata-macaroon": self.macaroon} if self.macaroon else {}
        headers.update(extra or {})
        return headers

    def open(self, method, path, body=None, timeout=10, conn=None):
        """Send a request and return the live http.client response (for streams)."""
        conn = conn or self.connection(timeout)
        payload = json.dumps(body).encode() if isinstance(body, dict) else body
        conn.request(method, path, body=payload, headers=self.headers())
        return conn.getresponse()

    def call(self, method, path, body=None, timeout=10):
        """Send a request on a fresh connection and read the whole response."""
        conn = self.connection(timeout, keep=False)
        try:
            response = self.open(method, path, body, conn=conn)
            return Response(response.status, response.headers, response.read())
        finally:
            conn.close()

    def get(self, path):
        """GET returning parsed JSON (asserting 200)."""
        response = self.call("GET", path)
        assert response.status == 200, (response.status, response.body)
        return response.json

    def post(self, path, body):
        """POST returning parsed JSON (asserting 200)."""
        response = self.call("POST", path, body)
        assert response.status == 200, (response.status, response.body)
        return response.json

    def invoice(self, value_sat=1000, **extra):
        """AddInvoice; returns the response."""
        return self.post("/v1/invoices", {"value": str(value_sat), "memo": "test", **extra})

    def pay(self, payment_request, **extra):
        """SendPaymentV2 read to the end; returns the Response."""
        body = {"payment_request": payment_request, "timeout_seconds": 10, **extra}
        return self.call("POST", "/v2/router/send", body)


def control(path, body=None):
    """Call the control API; returns parsed JSON."""
    url = SIM["manifest"]["control_url"] + path
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as response:
        return json.loads(response.read())


def b64url(data):
    """URL-safe base64 with padding, as grpc-gateway path parameters need."""
    return base64.urlsafe_b64encode(data).decode()


def hash_of(invoice_response):
    """Payment hash bytes from an AddInvoice response."""
    return base64.b64decode(invoice_response["r_hash"])


def wait_until(predicate, timeout=5):
    """Poll predicate() until true (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


class SimTestCase(unittest.TestCase):
    """Resets the simulator before every test."""

    def setUp(self):
        control("/v1/reset", {})
        self.alice, self.bob, self.carol, self.dave = (Lnd(n) for n in ("alice", "bob", "carol", "dave"))
        for client in (self.alice, self.bob, self.carol, self.dave):
            self.addCleanup(client.close)

    def client(self, name, macaroon="admin"):
        """An extra client, closed after the test."""
        client = Lnd(name, macaroon)
        self.addCleanup(client.close)
        return client


# --- transport, auth, encoding -------------------------------------------------------------------


class TransportTests(SimTestCase):
    def test_tls_with_node_cert_works(self):
        self.assertEqual(self.alice.get("/v1/getinfo")["identity_pubkey"], self.alice.info["pubkey"])

    def test_other_nodes_cert_is_not_trusted(self):
        conn = self.alice.connection(cafile=self.bob.info["tls_cert"])
        with self.assertRaises(ssl.SSLCertVerificationError):
            conn.request("GET", "/v1/getinfo")

    def test_plain_http_gets_go_400_text(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.alice.info["rest_port"], timeout=5)
        self.addCleanup(conn.close)
        conn.request("GET", "/v1/getinfo")
        response = conn.getresponse()
        self.assertEqual((response.status, response.version), (400, 10))
        self.assertEqual(response.read(), b"Client sent an HTTP request to an HTTPS server.\n")

    def test_unknown_path_is_404_and_wrong_method_is_501(self):
        response = self.alice.call("GET", "/v1/nope")
        self.assertEqual((response.status, response.json), (404, {"code": 5, "message": "Not Found", "details": []}))
        response = self.alice.call("POST", "/v1/getinfo", {})
        self.assertEqual(response.status, 501)
        self.assertEqual(response.json, {"code": 12, "message": "Method Not Allowed", "details": []})

    def test_send_payment_sync_is_gone_in_0_21(self):
        self.assertEqual(self.alice.call("POST", "/v1/channels/transactions", {}).status, 404)

    def test_unknown_body_field_is_400_code_3(self):
        response = self.bob.call("POST", "/v1/invoices", {"value": "1", "foo": 1})
        self.assertEqual(response.status, 400)
        self.assertEqual(response.json["code"], 3)
        self.assertIn('unknown field "foo"', response.json["message"])


class AuthTests(SimTestCase):
    def error(self, client, path="/v1/getinfo"):
        response = client.call("GET", path)
        self.assertEqual(response.status, 500)
        self.assertEqual(response.json["code"], 2)
        return response.json["message"]

    def test_missing_macaroon(self):
        self.assertEqual(self.error(self.client("alice", macaroon=None)), "expected 1 macaroon, got 0")

    def test_non_hex_macaroon(self):
        client = self.client("alice")
        client.macaroon = "zz"
        self.assertEqual(self.error(client), "encoding/hex: invalid byte: U+007A 'z'")

    def test_macaroon_of_another_node(self):
        client = self.client("alice")
        client.macaroon = self.bob.macaroon
        self.assertEqual(self.error(client), "verification failed: signature mismatch after caveat verification")

    def test_insufficient_permissions(self):
        self.assertEqual(self.error(self.client("alice", "invoice")), "permission denied")
        self.assertEqual(self.error(self.client("alice", "readonly"), "/v2/invoices/lookup?payment_hash=AA%3D%3D"),
                         "permission denied")
        response = self.client("alice", "readonly").call("POST", "/v2/router/send", {"payment_request": "x"})
        self.assertEqual(response.status, 500)
        self.assertEqual(response.lines, [{"error": {"code": 2, "message": "permission denied", "details": []}}])

    def test_invoice_macaroon_can_add_invoices(self):
        self.assertIn("payment_request", self.client("bob", "invoice").invoice())

    def test_macaroon_files_are_binary_v2(self):
        raw = Path(self.alice.info["admin_macaroon"]).read_bytes()
        self.assertEqual(raw.hex(), self.alice.macaroon)
        self.assertEqual(raw[0], 2)


class EncodingTests(SimTestCase):
    def test_getinfo_types(self):
        info = self.alice.get("/v1/getinfo")
        self.assertIsInstance(info["best_header_timestamp"], str)
        self.assertIsInstance(info["block_height"], int)
        self.assertEqual(info["chains"], [{"chain": "bitcoin", "network": "regtest"}])
        self.assertEqual(info["features"]["14"], {"name": "payment-addr", "is_required": True, "is_known": True})

    def test_channels_and_balances_use_string_int64(self):
        channel = self.alice.get("/v1/channels")["channels"][0]
        self.assertEqual((channel["capacity"], channel["local_balance"], channel["remote_pubkey"]),
                         ("1000000", "1000000", self.bob.info["pubkey"]))
        self.assertIsInstance(channel["chan_id"], str)
        balance = self.carol.get("/v1/balance/channels")
        self.assertEqual(balance["balance"], "550000")  # 500000 from bob, 50000 pushed by dave (private)
        self.assertEqual(balance["local_balance"], {"sat": "550000", "msat": "550000000"})
        self.assertEqual(self.alice.get("/v1/balance/blockchain")["confirmed_balance"], "100000000")

    def test_invoice_fields_bytes_base64_and_emit_unpopulated(self):
        added = self.bob.invoice(1000)
        self.assertEqual(len(base64.b64decode(added["r_hash"])), 32)
        self.assertIsInstance(added["add_index"], str)
        invoice = self.bob.get(f"/v1/invoice/{hash_of(added).hex()}")
        self.assertEqual((invoice["state"], invoice["settle_index"], invoice["r_preimage"] != ""),
                         ("OPEN", "0", True))
        self.assertIsNone(invoice["blinded_path_config"])
        self.assertEqual(invoice["amp_invoice_state"], {})


# --- invoices ----------------------------------------------------------------------------------


class InvoiceTests(SimTestCase):
    def independent_decode(self, payment_request, expression="inv.data"):
        """Evaluate `expression` on the PyPI bolt11 package's decoding of the invoice."""
        script = (
            "import bolt11, json, sys\n"
            "inv = bolt11.decode(sys.argv[1], strict=True)\n"
            f"print(json.dumps({expression}))\n"
        )
        output = subprocess.run([SIM["venv_python"], "-c", script, payment_request],
                                check=True, capture_output=True, text=True, timeout=60).stdout
        return json.loads(output)

    def test_bob_invoice_decodes_with_independent_decoder(self):
        description_hash = hashlib.sha256(b"metadata").digest()
        plain = self.bob.invoice(2500, expiry="600")
        hashed = self.bob.post("/v1/invoices", {"value_msat": "1500", "description_hash":
                                                base64.b64encode(description_hash).decode()})
        data = self.independent_decode(plain["payment_request"])
        self.assertEqual(data["currency"], "bcrt")
        self.assertEqual(data["payee"], self.bob.info["pubkey"])  # recovered from the signature
        self.assertEqual(data["amount_msat"], 2_500_000)
        self.assertEqual(data["payment_hash"], hash_of(plain).hex())
        self.assertEqual(data["payment_secret"], base64.b64decode(plain["payment_addr"]).hex())
        self.assertEqual((data["description"], data["expiry"], data["min_final_cltv_expiry"]), ("test", 600, 80))
        self.assertEqual(data["features"], {"var_onion_optin": "required", "payment_secret": "required",
                                            "basic_mpp": "supported", "option_route_blinding": "supported"})
        data = self.independent_decode(hashed["payment_request"])
        self.assertEqual((data["amount_msat"], data["description_hash"]), (1500, description_hash.hex()))
        self.assertEqual(data["payee"], self.bob.info["pubkey"])

    def test_decode_pay_req_matches(self):
        added = self.bob.invoice(1000)
        decoded = self.alice.get(f"/v1/payreq/{added['payment_request']}")
        self.assertEqual(decoded["destination"], self.bob.info["pubkey"])
        self.assertEqual(decoded["payment_hash"], hash_of(added).hex())
        self.assertEqual((decoded["num_satoshis"], decoded["num_msat"], decoded["expiry"], decoded["cltv_expiry"]),
                         ("1000", "1000000", "86400", "80"))
        self.assertEqual((decoded["description_hash"], decoded["payment_addr"]), ("", added["payment_addr"]))

    def test_fallback_address_round_trips(self):
        program = bytes(range(20))
        address = bolt11.encode_address(bolt11.NETWORKS["regtest"], 0, program)
        added = self.bob.invoice(5, fallback_addr=address)
        self.assertEqual(self.alice.get(f"/v1/payreq/{added['payment_request']}")["fallback_addr"], address)
        # the bolt11 package cannot name bcrt addresses: compare the raw field bits
        bits = self.independent_decode(added["payment_request"], "inv.fallback.data.bin")
        self.assertEqual(bits, "00000" + "".join(f"{byte:08b}" for byte in program))

    def test_wrong_network_invoice(self):
        foreign = bolt11.Invoice(bolt11.NETWORKS["mainnet"], os.urandom(32), int(time.time()), 1000,
                                 os.urandom(32), "x", features=frozenset({8, 14}))
        response = self.alice.call("GET", f"/v1/payreq/{bolt11.encode(foreign, os.urandom(32))}")
        self.assertEqual(response.status, 500)
        self.assertEqual(response.json["message"], "invoice not for current active network 'regtest'")

    def test_lookup_errors(self):
        response = self.bob.call("GET", "/v1/invoice/" + "00" * 32)
        self.assertEqual((response.status, response.json["message"]), (404, "there are no existing invoices"))
        self.bob.invoice()
        response = self.bob.call("GET", "/v1/invoice/" + "00" * 32)
        self.assertEqual((response.status, response.json["code"], response.json["message"]),
                         (404, 5, "unable to locate invoice"))
        response = self.bob.call("GET", "/v1/invoice/abcd")
        self.assertEqual(response.json["message"], "payment hash must be exactly 32 bytes, is instead 2")
        response = self.bob.call("GET", "/v2/invoices/lookup")
        self.assertEqual((response.status, response.json["message"]), (400, "invoice ref must be set"))

    def test_lookup_v2_by_base64url_hash(self):
        added = self.bob.invoice()
        invoice = self.bob.get(f"/v2/invoices/lookup?payment_hash={b64url(hash_of(added))}")
        self.assertEqual(invoice["r_hash"], added["r_hash"])

    def test_duplicate_preimage_and_cancel(self):
        preimage = base64.b64encode(os.urandom(32)).decode()
        added = self.bob.invoice(r_preimage=preimage)
        response = self.bob.call("POST", "/v1/invoices", {"value": "1", "r_preimage": preimage})
        self.assertEqual(response.json["message"], "invoice with payment hash already exists")
        self.bob.post("/v2/invoices/cancel", {"payment_hash": added["r_hash"]})
        self.assertEqual(self.bob.get(f"/v1/invoice/{hash_of(added).hex()}")["state"], "CANCELED")

    def test_expired_invoice_is_canceled_and_unpayable(self):
        added = self.bob.invoice(expiry="1")
        time.sleep(1.2)
        self.assertEqual(self.bob.get(f"/v1/invoice/{hash_of(added).hex()}")["state"], "CANCELED")
        response = self.alice.pay(added["payment_request"])
        self.assertEqual(response.status, 500)
        self.assertTrue(response.lines[0]["error"]["message"].startswith("invoice expired. Valid until "))

    def test_list_invoices_paging(self):
        for _ in range(3):
            self.bob.invoice()
        page = self.bob.get("/v1/invoices?reversed=true&num_max_invoices=2")
        self.assertEqual([i["add_index"] for i in page["invoices"]], ["2", "3"])
        self.assertEqual((page["first_index_offset"], page["last_index_offset"]), ("2", "3"))


# --- payments -------------------------------------------------------------------------------------


class PaymentTests(SimTestCase):
    def test_alice_pays_bob_streaming(self):
        added = self.bob.invoice(1000)
        response = self.alice.pay(added["payment_request"])
        self.assertEqual(response.status, 200)
        self.assertEqual(response.headers["Transfer-Encoding"], "chunked")
        updates = [line["result"] for line in response.lines]
        self.assertEqual([u["status"] for u in updates][0], "INITIATED")
        self.assertEqual(updates[-1]["status"], "SUCCEEDED")
        final = updates[-1]
        self.assertEqual(hashlib.sha256(bytes.fromhex(final["payment_preimage"])).digest(), hash_of(added))
        self.assertEqual((final["value_msat"], final["fee_msat"], final["failure_reason"]),
                         ("1000000", "0", "FAILURE_REASON_NONE"))
        self.assertEqual(base64.b64decode(final["htlcs"][0]["preimage"]).hex(), final["payment_preimage"])
        self.assertEqual(updates[0]["payment_preimage"], "0" * 64)
        invoice = self.bob.get(f"/v1/invoice/{hash_of(added).hex()}")
        self.assertEqual((invoice["state"], invoice["settle_index"], invoice["amt_paid_sat"]),
                         ("SETTLED", "1", "1000"))
        self.assertEqual(self.alice.get("/v1/balance/channels")["balance"], "999000")

    def test_second_send_is_409_already_exists(self):
        added = self.bob.invoice(1000)
        self.assertEqual(self.alice.pay(added["payment_request"]).status, 200)
        response = self.alice.pay(added["payment_request"])
        self.assertEqual(response.status, 409)
        self.assertEqual(response.lines, [{"error": {"code": 6, "message": "invoice is already paid", "details": []}}])
        counters = control("/v1/state")["payment_hashes"][hash_of(added).hex()]
        self.assertEqual(counters, {"sends": 2, "initiated": 1, "succeeded": 1, "failed": 0})

    def test_no_inflight_updates_gives_exactly_one_line(self):
        added = self.bob.invoice(1000)
        response = self.alice.pay(added["payment_request"], no_inflight_updates=True, fee_limit_msat=1000)
        self.assertEqual(response.json["result"]["status"], "SUCCEEDED")  # LNbits parses the body as one JSON

    def test_track_payment_v2(self):
        added = self.bob.invoice(1000)
        self.alice.pay(added["payment_request"])
        response = self.alice.call("GET", f"/v2/router/track/{b64url(hash_of(added))}")
        self.assertEqual([line["result"]["status"] for line in response.lines], ["SUCCEEDED"])
        response = self.alice.call("GET", f"/v2/router/track/{hash_of(added).hex()}")
        self.assertEqual((response.status, response.lines[0]["error"]["message"]),
                         (500, "invalid hash length of 48, want 32"))
        response = self.alice.call("GET", f"/v2/router/track/{b64url(os.urandom(32))}")
        self.assertEqual(response.status, 404)
        self.assertEqual(response.lines, [{"error": {"code": 5, "message": "payment isn't initiated", "details": []}}])

    def test_multi_hop_with_fees_and_fee_limit(self):
        added = self.carol.invoice(10_000)
        response = self.alice.pay(added["payment_request"])
        self.assertEqual(response.lines[-1]["result"]["failure_reason"], "FAILURE_REASON_NO_ROUTE")  # fee limit 0
        final = self.alice.pay(added["payment_request"], fee_limit_sat="10").lines[-1]["result"]
        self.assertEqual((final["status"], final["fee_msat"]), ("SUCCEEDED", "1010"))
        hops = final["htlcs"][0]["route"]["hops"]
        self.assertEqual([h["pub_key"] for h in hops], [self.bob.info["pubkey"], self.carol.info["pubkey"]])
        local_msat = self.alice.get("/v1/balance/channels")["local_balance"]["msat"]
        self.assertEqual(local_msat, str(1_000_000_000 - 10_001_010))

    def test_failure_reasons(self):
        cases = {
            "FAILURE_REASON_NO_ROUTE": (self.alice, self.dave.invoice(10)),
            "FAILURE_REASON_INSUFFICIENT_BALANCE": (self.carol, self.bob.invoice(600_000)),
        }
        canceled = self.bob.invoice(10)
        self.bob.post("/v2/invoices/cancel", {"payment_hash": canceled["r_hash"]})
        cases["FAILURE_REASON_INCORRECT_PAYMENT_DETAILS"] = (self.alice, canceled)
        for reason, (payer, added) in cases.items():
            final = payer.pay(added["payment_request"]).lines[-1]["result"]
            self.assertEqual((final["status"], final["failure_reason"]), ("FAILED", reason))
        failure = final["htlcs"][0]["failure"]
        self.assertEqual((failure["code"], failure["failure_source_index"]),
                         ("INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS", 1))

    def test_invoice_of_unknown_node_has_no_route(self):
        foreign = bolt11.Invoice(bolt11.NETWORKS["regtest"], os.urandom(32), int(time.time()), 1000,
                                 os.urandom(32), "x", features=frozenset({8, 14}))
        final = self.alice.pay(bolt11.encode(foreign, os.urandom(32))).lines[-1]["result"]
        self.assertEqual((final["status"], final["failure_reason"]), ("FAILED", "FAILURE_REASON_NO_ROUTE"))

    def test_self_payment_and_amount_errors(self):
        response = self.alice.pay(self.alice.invoice(10)["payment_request"])
        self.assertEqual((response.status, response.lines[0]["error"]["message"]), (500, "self-payments not allowed"))
        zero = self.bob.post("/v1/invoices", {"memo": "any amount"})
        response = self.alice.pay(zero["payment_request"])
        self.assertEqual(response.lines[0]["error"]["message"],
                         "amount must be specified when paying a zero amount invoice")
        final = self.alice.pay(zero["payment_request"], amt="7").lines[-1]["result"]
        self.assertEqual((final["status"], final["value_sat"]), ("SUCCEEDED", "7"))

    def test_failed_hash_can_be_retried(self):
        added = self.bob.invoice(600_000)
        self.assertEqual(self.carol.pay(added["payment_request"]).lines[-1]["result"]["status"], "FAILED")
        self.assertEqual(self.carol.pay(added["payment_request"]).status, 200)

    def test_list_payments(self):
        added = self.bob.invoice(1)
        self.alice.pay(added["payment_request"])
        self.alice.pay(self.dave.invoice(1)["payment_request"])
        self.assertEqual(len(self.alice.get("/v1/payments")["payments"]), 1)
        listed = self.alice.get("/v1/payments?include_incomplete=true&count_total_payments=true")
        self.assertEqual([p["status"] for p in listed["payments"]], ["SUCCEEDED", "FAILED"])
        self.assertEqual(listed["total_num_payments"], "2")


class HoldInvoiceTests(SimTestCase):
    def hold_invoice(self):
        preimage = os.urandom(32)
        payment_hash = hashlib.sha256(preimage).digest()
        added = self.bob.post("/v2/invoices/hodl", {"value": 500, "hash": base64.b64encode(payment_hash).decode()})
        self.assertNotIn("r_hash", added)
        return preimage, payment_hash, added

    def test_settle_after_accept(self):
        preimage, payment_hash, added = self.hold_invoice()
        single = self.bob.open("GET", f"/v2/invoices/subscribe/{b64url(payment_hash)}")
        self.assertEqual(json.loads(single.readline())["result"]["state"], "OPEN")
        send = self.alice.open("POST", "/v2/router/send", {"payment_request": added["payment_request"]})
        self.assertEqual(json.loads(single.readline())["result"]["state"], "ACCEPTED")
        response = self.bob.call("POST", "/v2/invoices/settle", {"preimage": base64.b64encode(os.urandom(32)).decode()})
        self.assertEqual(response.json["message"], "unable to locate invoice")
        self.bob.post("/v2/invoices/settle", {"preimage": base64.b64encode(preimage).decode()})
        self.assertEqual(json.loads(single.readline())["result"]["state"], "SETTLED")
        self.assertEqual(single.read(), b"")  # stream ends after a final state
        lines = [json.loads(line) for line in send.read().decode().splitlines()]
        self.assertEqual(lines[-1]["result"]["status"], "SUCCEEDED")
        self.assertEqual(lines[-1]["result"]["payment_preimage"], preimage.hex())

    def test_cancel_accepted_fails_payment(self):
        _, payment_hash, added = self.hold_invoice()
        send = self.alice.open("POST", "/v2/router/send", {"payment_request": added["payment_request"]})
        self.assertTrue(wait_until(lambda: self.bob.get(f"/v1/invoice/{payment_hash.hex()}")["state"] == "ACCEPTED"))
        response = self.bob.call("POST", "/v2/invoices/settle", {"preimage": base64.b64encode(os.urandom(32)).decode()})
        self.assertEqual(response.status, 500)
        self.bob.post("/v2/invoices/cancel", {"payment_hash": base64.b64encode(payment_hash).decode()})
        final = json.loads(send.read().decode().splitlines()[-1])["result"]
        self.assertEqual(final["failure_reason"], "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS")
        self.assertEqual(self.alice.get("/v1/balance/channels")["balance"], "1000000")


# --- invoice subscription -----------------------------------------------------------------------------


class SwaggerTests(SimTestCase):
    """Every answer the simulator gives for the endpoints t4gd and LNbits use, checked field by field against
    LND v0.21.2-beta's swagger definitions (swagger/, see swagger_check.py)."""

    @classmethod
    def setUpClass(cls):
        cls.swagger = Swagger()

    def check(self, method, template, value, status=200):
        problems = self.swagger.problems(value, self.swagger.response_schema(method, template, status))
        self.assertEqual(problems, [], f"{method} {template}")

    def test_the_checker_finds_differences(self):
        info = self.bob.get("/v1/getinfo")
        schema = self.swagger.response_schema("GET", "/v1/getinfo")
        self.assertEqual(self.swagger.problems(info, schema), [])
        wrong = {**info, "best_header_timestamp": 5, "block_height": "7", "extra": 1}
        del wrong["alias"]
        self.assertEqual(sorted(self.swagger.problems(wrong, schema)), [
            "$.alias: missing (EmitUnpopulated)", "$.best_header_timestamp: expected a JSON string (int64), got 5",
            "$.block_height: expected a JSON number, got '7'", "$.extra: not in the definition",
        ])

    def test_unary_answers(self):
        added = self.bob.invoice(1000, private=True)
        self.alice.pay(added["payment_request"])
        hex_hash = hash_of(added).hex()
        for method, template, path, body in [
            ("GET", "/v1/getinfo", "/v1/getinfo", None),
            ("GET", "/v1/channels", "/v1/channels", None),
            ("GET", "/v1/balance/channels", "/v1/balance/channels", None),
            ("GET", "/v1/balance/blockchain", "/v1/balance/blockchain", None),
            ("POST", "/v1/invoices", "/v1/invoices", {"value": "5", "memo": "swagger", "private": True}),
            ("GET", "/v1/invoice/{r_hash_str}", f"/v1/invoice/{hex_hash}", None),
            ("GET", "/v1/invoices", "/v1/invoices", None),
            ("GET", "/v2/invoices/lookup", f"/v2/invoices/lookup?payment_hash={b64url(hash_of(added))}", None),
            ("GET", "/v1/payreq/{pay_req}", f"/v1/payreq/{added['payment_request']}", None),
            ("GET", "/v1/payments", "/v1/payments?include_incomplete=true", None),
        ]:
            client = self.alice if template in ("/v1/payments", "/v1/balance/channels") else self.bob
            response = client.call(method, path, body)
            self.assertEqual(response.status, 200, (path, response.body))
            self.check(method, template, response.json)

    def test_error_answers(self):
        unknown = os.urandom(32)
        cancel = self.bob.call("POST", "/v2/invoices/cancel", {"payment_hash": base64.b64encode(unknown).decode()})
        self.assertEqual((cancel.status, cancel.json["message"]), (500, "unable to locate invoice"))
        self.check("POST", "/v2/invoices/cancel", cancel.json, status=500)
        lookup = self.bob.call("GET", f"/v1/invoice/{unknown.hex()}")
        self.check("GET", "/v1/invoice/{r_hash_str}", lookup.json, status=404)
        track = self.alice.call("GET", f"/v2/router/track/{b64url(unknown)}")
        self.assertEqual(track.status, 404)
        for line in track.lines:
            self.check("GET", "/v2/router/track/{payment_hash}", line)
        self.assertEqual(track.lines[0]["error"]["message"], "payment isn't initiated")

    def test_stream_lines(self):
        added = self.bob.invoice(1000)
        send = self.alice.pay(added["payment_request"])
        self.assertGreaterEqual(len(send.lines), 2)
        for line in send.lines:
            self.check("POST", "/v2/router/send", line)
        track = self.alice.call("GET", f"/v2/router/track/{b64url(hash_of(added))}")
        for line in track.lines:
            self.check("GET", "/v2/router/track/{payment_hash}", line)
        threading.Timer(0.2, lambda: self.bob.invoice(7)).start()  # the head comes with the first event
        stream = self.bob.open("GET", "/v1/invoices/subscribe?settle_index=0&add_index=0")
        self.check("GET", "/v1/invoices/subscribe", json.loads(stream.readline()))


class PrivateChannelTests(SimTestCase):
    def test_only_an_invoice_with_route_hints_reaches_a_private_channel(self):
        plain = self.dave.invoice(10)
        failed = self.alice.pay(plain["payment_request"], fee_limit_sat=10).lines[-1]["result"]
        self.assertEqual((failed["status"], failed["failure_reason"]), ("FAILED", "FAILURE_REASON_NO_ROUTE"))
        hinted = self.dave.invoice(10, private=True)
        decoded = self.dave.get(f"/v1/payreq/{hinted['payment_request']}")
        hints = decoded["route_hints"]
        self.assertEqual(len(hints), 1)
        self.assertEqual(hints[0]["hop_hints"][0]["node_id"], self.carol.info["pubkey"])
        final = self.alice.pay(hinted["payment_request"], fee_limit_sat=10).lines[-1]["result"]
        self.assertEqual(final["status"], "SUCCEEDED")
        channels = self.dave.get("/v1/channels?private_only=true")["channels"]
        self.assertEqual([c["private"] for c in channels], [True])
        self.assertEqual(self.dave.get("/v1/channels?public_only=true")["channels"], [])


class SubscribeInvoicesTests(SimTestCase):
    def test_replays_settled_after_settle_index_then_live(self):
        invoices = [self.bob.invoice(10 + i) for i in range(3)]
        for added in invoices[:2]:
            self.alice.pay(added["payment_request"])
        stream = self.bob.open("GET", "/v1/invoices/subscribe?settle_index=1")
        first = json.loads(stream.readline())["result"]
        self.assertEqual((first["state"], first["settle_index"], first["r_hash"]),
                         ("SETTLED", "2", invoices[1]["r_hash"]))
        threading.Timer(0.2, self.bob.invoice).start()
        live = json.loads(stream.readline())["result"]
        self.assertEqual((live["state"], live["add_index"]), ("OPEN", "4"))
        self.alice.pay(invoices[2]["payment_request"])
        settled = json.loads(stream.readline())["result"]
        self.assertEqual((settled["state"], settled["settle_index"]), ("SETTLED", "3"))

    def test_add_index_replay_uses_current_state(self):
        invoices = [self.bob.invoice(10) for _ in range(2)]
        self.alice.pay(invoices[1]["payment_request"])
        stream = self.bob.open("GET", "/v1/invoices/subscribe?add_index=1")
        replayed = json.loads(stream.readline())["result"]
        self.assertEqual((replayed["add_index"], replayed["state"]), ("2", "SETTLED"))


# --- fault switches -------------------------------------------------------------------------------------


class FaultTests(SimTestCase):
    def fault(self, node, kind, **fields):
        return control("/v1/fault", {"node": node, "kind": kind, **fields})

    def test_refuse_connections_and_recover(self):
        waiting = self.bob.connection()
        waiting.request("GET", "/v1/invoices/subscribe", headers=self.bob.headers())  # no event: no headers yet
        self.fault("bob", "refuse", enabled=True)
        with self.assertRaises(ConnectionRefusedError):
            self.bob.call("GET", "/v1/getinfo")
        with self.assertRaises((ConnectionError, http.client.HTTPException, ssl.SSLError)):
            waiting.getresponse()
        self.fault("bob", "refuse", enabled=False)
        self.assertEqual(self.bob.call("GET", "/v1/getinfo").status, 200)

    def test_delay_every_response(self):
        self.fault("alice", "delay", ms=400)
        started = time.monotonic()
        self.alice.get("/v1/getinfo")
        self.assertGreaterEqual(time.monotonic() - started, 0.4)

    def test_drop_send_stream_after_first_in_flight(self):
        self.fault("alice", "drop_stream", endpoint="/v2/router/send", after=1, times=1)
        added = self.bob.invoice(1000)
        stream = self.alice.open("POST", "/v2/router/send", {"payment_request": added["payment_request"]})
        self.assertEqual(json.loads(stream.readline())["result"]["status"], "INITIATED")
        with self.assertRaises((http.client.IncompleteRead, ConnectionError, ssl.SSLError)):
            stream.read()
        self.assertTrue(wait_until(
            lambda: self.alice.call("GET", f"/v2/router/track/{b64url(hash_of(added))}").lines[-1]["result"]["status"]
            == "SUCCEEDED"))

    def test_drop_subscription_after_k_messages(self):
        self.fault("bob", "drop_stream", endpoint="/v1/invoices/subscribe", after=2)
        for _ in range(4):
            self.bob.invoice()
        stream = self.bob.open("GET", "/v1/invoices/subscribe?add_index=1")  # backlog of 3
        self.assertEqual(json.loads(stream.readline())["result"]["add_index"], "2")
        self.assertEqual(json.loads(stream.readline())["result"]["add_index"], "3")
        with self.assertRaises((http.client.IncompleteRead, ConnectionError, ssl.SSLError)):
            stream.read()

    def test_error_line_mid_stream(self):
        self.fault("alice", "drop_stream", endpoint="/v2/router/send", after=1, grpc_code=2, message="shutting down")
        response = self.alice.pay(self.bob.invoice(10)["payment_request"])
        self.assertEqual(response.status, 200)
        self.assertEqual(response.lines[0]["result"]["status"], "INITIATED")
        self.assertEqual(response.lines[1:], [{"error": {"code": 2, "message": "shutting down", "details": []}}])

    def test_hold_payment_then_resolve(self):
        self.fault("alice", "hold_payments", enabled=True)
        first, second = self.bob.invoice(100), self.bob.invoice(200)
        for added in (first, second):
            stream = self.alice.open("POST", "/v2/router/send", {"payment_request": added["payment_request"]})
            stream.readline()
            self.assertEqual(len(json.loads(stream.readline())["result"]["htlcs"]), 1)
        payments = {p["payment_hash"]: p for p in control("/v1/state")["nodes"]["alice"]["payments"]}
        self.assertTrue(payments[hash_of(first).hex()]["held"])
        self.assertEqual(self.alice.get("/v1/balance/channels")["unsettled_remote_balance"]["sat"], "300")
        result = control("/v1/resolve", {"node": "alice", "payment_hash": hash_of(first).hex(), "outcome": "succeeded"})
        self.assertEqual(result["status"], "SUCCEEDED")
        result = control("/v1/resolve", {"node": "alice", "payment_hash": hash_of(second).hex(), "outcome": "failed"})
        self.assertEqual((result["status"], result["failure_reason"]), ("FAILED", "FAILURE_REASON_NO_ROUTE"))
        self.assertEqual(self.bob.get(f"/v1/invoice/{hash_of(second).hex()}")["state"], "OPEN")

    def test_stall_gives_timeout(self):
        self.fault("alice", "stall_payments", enabled=True)
        added = self.bob.invoice(100)
        final = self.alice.pay(added["payment_request"], timeout_seconds=1).lines[-1]["result"]
        self.assertEqual((final["status"], final["failure_reason"], final["htlcs"]),
                         ("FAILED", "FAILURE_REASON_TIMEOUT", []))

    def test_forced_errors(self):
        self.fault("alice", "error", endpoint="/v2/router/send", grpc_code=2, message="boom", times=1)
        self.fault("alice", "error", endpoint="/v1/getinfo", grpc_code=14, message="unavailable")
        added = self.bob.invoice(100)
        response = self.alice.pay(added["payment_request"])
        self.assertEqual(response.status, 500)
        self.assertEqual(response.lines, [{"error": {"code": 2, "message": "boom", "details": []}}])
        self.assertEqual(self.alice.pay(added["payment_request"]).lines[-1]["result"]["status"], "SUCCEEDED")
        response = self.alice.call("GET", "/v1/getinfo")
        self.assertEqual((response.status, response.json["code"]), (503, 14))
        self.fault("alice", "clear")
        self.assertEqual(self.alice.call("GET", "/v1/getinfo").status, 200)

    def test_error_after_side_effects(self):
        self.fault("alice", "error", endpoint="/v2/router/send", grpc_code=2, message="lost", phase="after", times=1)
        added = self.bob.invoice(100)
        self.assertEqual(self.alice.pay(added["payment_request"]).status, 500)
        track = f"/v2/router/track/{b64url(hash_of(added))}"
        self.assertTrue(wait_until(lambda: self.alice.call("GET", track).lines[-1]["result"]["status"] == "SUCCEEDED"))

    def test_latency_distribution_per_endpoint(self):
        self.fault("alice", "latency", endpoint="/v1/getinfo", min_ms=300, max_ms=400)
        started = time.monotonic()
        self.alice.get("/v1/getinfo")
        self.assertGreaterEqual(time.monotonic() - started, 0.3)
        started = time.monotonic()
        self.alice.get("/v1/balance/channels")
        self.assertLess(time.monotonic() - started, 0.3)

    def test_payment_latency(self):
        self.fault("alice", "payment_latency", min_ms=500, max_ms=600)
        added = self.bob.invoice(10)
        started = time.monotonic()
        self.assertEqual(self.alice.pay(added["payment_request"]).lines[-1]["result"]["status"], "SUCCEEDED")
        self.assertGreaterEqual(time.monotonic() - started, 0.5)

    def test_silent_drop_keeps_the_connection_open(self):
        self.alice.pay(self.bob.invoice(10)["payment_request"])  # settle_index 1
        self.fault("bob", "drop_stream", endpoint="/v1/invoices/subscribe", after=1, silent=True, times=1)
        added = {}
        threading.Timer(0.2, lambda: added.update(self.bob.invoice(20))).start()
        stream = self.bob.open("GET", "/v1/invoices/subscribe", timeout=2)
        self.assertEqual(json.loads(stream.readline())["result"]["state"], "OPEN")
        self.assertTrue(wait_until(lambda: "payment_request" in added))
        self.alice.pay(added["payment_request"])
        with self.assertRaises(TimeoutError):
            stream.readline()  # the connection is open, and the settlement never arrives on it
        again = self.bob.open("GET", "/v1/invoices/subscribe?settle_index=1")
        self.assertEqual(json.loads(again.readline())["result"]["settle_index"], "2")

    def test_restart_forgets_everything(self):
        before = self.dave.get("/v1/getinfo")["identity_pubkey"]
        self.dave.invoice(1)
        self.assertEqual(self.dave.invoice(2)["add_index"], "2")
        restarted = control("/v1/restart", {"node": "dave"})
        after = self.dave.get("/v1/getinfo")["identity_pubkey"]
        self.assertNotEqual(before, after)
        self.assertEqual(restarted["pubkey"], after)
        self.assertEqual(self.dave.invoice(3)["add_index"], "1")
        control("/v1/reset", {})
        self.assertEqual(self.dave.get("/v1/getinfo")["identity_pubkey"], before)

    def test_second_send_while_initiated_is_payment_already_exists(self):
        self.fault("alice", "stall_payments", enabled=True)
        added = self.bob.invoice(10)
        first = self.alice.open("POST", "/v2/router/send", {"payment_request": added["payment_request"]})
        self.assertEqual(json.loads(first.readline())["result"]["status"], "INITIATED")
        second = self.alice.pay(added["payment_request"])
        self.assertEqual((second.status, second.lines),
                         (409, [{"error": {"code": 6, "message": "payment already exists", "details": []}}]))

    def test_reset_restores_state(self):
        self.alice.pay(self.bob.invoice(1000)["payment_request"])
        control("/v1/reset", {})
        state = control("/v1/state")
        self.assertEqual(state["payment_hashes"], {})
        self.assertEqual(state["nodes"]["alice"]["channels"][0]["local_balance_msat"], 1_000_000_000)
        self.assertEqual(state["nodes"]["bob"]["invoices"], [])


class NetworkAndHostTests(unittest.TestCase):
    """--network testnet4 and --host, checked without a running simulator."""

    def test_testnet4_is_its_own_name_with_the_testnet_prefix(self):
        testnet4 = bolt11.NETWORKS["testnet4"]
        self.assertEqual((testnet4.name, testnet4.chaincfg_name, testnet4.invoice_prefix),
                         ("testnet4", "testnet4", "tb"))
        invoice = bolt11.Invoice(testnet4, os.urandom(32), int(time.time()), 1000, os.urandom(32), "x",
                                 features=frozenset({8, 14}))
        self.assertTrue(bolt11.encode(invoice, os.urandom(32)).startswith("lntb10n1"))

    def test_certificate_names_the_host(self):
        from lndsim import tlscert

        directory = Path(tempfile.mkdtemp(prefix="lnd-sim-cert-"))
        self.addCleanup(shutil.rmtree, directory)
        tlscert.generate(directory / "tls.cert", directory / "tls.key", "alice", "10.231.0.2")
        command = ["openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", str(directory / "tls.cert")]
        text = subprocess.run(command, check=True, capture_output=True, text=True, timeout=30).stdout
        self.assertIn("IP Address:10.231.0.2", text)
        self.assertIn("IP Address:127.0.0.1", text)


def main():
    """Run the suite and end with the plain "N passed, N failed" line CI logs look for."""
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    print(f"{result.testsRun - failed - len(result.skipped)} passed, {failed} failed")
    sys.exit(1 if failed or not result.testsRun else 0)


if __name__ == "__main__":
    main()
