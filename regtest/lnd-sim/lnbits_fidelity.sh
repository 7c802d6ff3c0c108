#!/usr/bin/env bash
# lnbits_fidelity.sh: run LNbits 1.6.2's own LndRestWallet (code nobody here wrote) against lnd-sim.
#
# Usage: lnbits_fidelity.sh          (no arguments; needs PyPI once for the LNbits venv)
# Starts lnd-sim (alice, bob; channel alice:bob 1,000,000 sat with 500,000 pushed to bob) and
# LNbits with LNBITS_BACKEND_WALLET_CLASS=LndRestWallet pointed at alice, using
# regtest/lnbits/{install,start,wallet,stop}.sh. Then, through LNbits' HTTP API:
#   a) an LNbits invoice (created by alice via POST /v1/invoices) is paid by bob through the
#      simulator; LNbits credits it from its SubscribeInvoices listener alone;
#   b) a super-user-funded LNbits wallet pays a bob invoice (POST /v2/router/send);
#   c) paying an invoice of a node outside the simulator fails (FAILURE_REASON_NO_ROUTE);
#   d) a send answered with a forced HTTP 500 after dispatch stays pending in LNbits and is
#      resolved by LNbits' TrackPaymentV2 status check, paid exactly once.
# Out: one line per check, then "N passed, N failed". Exit 0 only if all passed.
# Everything started is stopped (process groups) on exit; logs are kept on failure or with KEEP_LOGS=1.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LNBITS="$HERE/../lnbits"
# shellcheck source=../lnbits/common.sh
source "$LNBITS/common.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lnbits-fidelity.XXXXXX")"
SIM_DIR="$WORK/sim"
LNB_DIR="$WORK/lnbits"
PASSED=0
FAILED=0

cleanup() {
    "$LNBITS/stop.sh" "$LNB_DIR" 2>/dev/null || true
    "$HERE/stop.sh" "$SIM_DIR" || true
    if [[ "$FAILED" -eq 0 && -z "${KEEP_LOGS:-}" ]]; then rm -rf "$WORK"; else echo "logs kept in $WORK" >&2; fi
}
trap cleanup EXIT

# check DESCRIPTION COMMAND...: run COMMAND, count and report the outcome.
check() {
    local description="$1"
    shift
    if "$@"; then
        PASSED=$((PASSED + 1))
        echo "ok    $description"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL  $description"
    fi
}

# eq ACTUAL EXPECTED: string equality that prints the mismatch.
eq() {
    [[ "$1" == "$2" ]] || { echo "      got '$1', want '$2'" >&2; return 1; }
}

# wait_for SECONDS COMMAND...: poll COMMAND every 0.25 s until it succeeds (bounded).
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.25
    done
}

PY="$(lnbits_python)"
echo "starting lnd-sim and LNbits (LndRestWallet) in $WORK" >&2
MANIFEST="$("$HERE/start.sh" "$SIM_DIR" --nodes alice,bob --channel alice:bob:1000000:500000)"
node() { json_field "$PY" "nodes.$1.$2" <"$MANIFEST"; }
CONTROL="$(json_field "$PY" control_url <"$MANIFEST")"

# sim NODE METHOD PATH [JSON]: call a simulated node's REST API with its admin macaroon.
sim() {
    local args=(-s --max-time 30 --cacert "$(node "$1" tls_cert)" -X "$2"
        -H "Grpc-Metadata-macaroon: $(node "$1" admin_macaroon_hex)")
    if [[ $# -ge 4 ]]; then args+=(-d "$4"); fi
    curl "${args[@]}" "$(node "$1" url)$3"
}

# control_post PATH JSON: call the simulator's control API.
control_post() { curl -s --max-time 10 -X POST -d "$2" "$CONTROL$1" >/dev/null; }

# counter HASH KEY: a per-hash payment counter from the simulator's state.
counter() {
    curl -s --max-time 10 "$CONTROL/v1/state" | json_field "$PY" "payment_hashes.$1.$2"
}

# calls NODE RPC: how many requests for an RPC the node has served.
calls() {
    curl -s --max-time 10 "$CONTROL/v1/state" | "$PY" -c \
        'import json, sys; print(json.load(sys.stdin)["nodes"][sys.argv[1]]["calls"].get(sys.argv[2], 0))' "$1" "$2"
}

"$LNBITS/start.sh" "$LNB_DIR" --wallet-class LndRestWallet \
    LND_REST_ENDPOINT="$(node alice url)" LND_REST_CERT="$(node alice tls_cert)" \
    LND_REST_MACAROON="$(node alice admin_macaroon_hex)" >/dev/null
wallet() { "$LNBITS/wallet.sh" "$LNB_DIR" "$@"; }

check "LNbits connected to alice (status() read /v1/balance/channels)" \
    grep -q "Backend LndRestWallet connected" "$LNB_DIR/lnbits.log"

WALLET="$(wallet create fidelity)"
WALLET_ID="$(json_field "$PY" id <<<"$WALLET")"
INKEY="$(json_field "$PY" inkey <<<"$WALLET")"
ADMINKEY="$(json_field "$PY" adminkey <<<"$WALLET")"
balance_is() { eq "$(wallet balance "$INKEY" | json_field "$PY" balance)" "$1" 2>/dev/null; }

# a) LNbits invoice, paid by bob through the simulator, credited by the invoice listener.
INVOICE="$(wallet invoice "$INKEY" 1000 "paid by bob")"
BOLT11="$(json_field "$PY" bolt11 <<<"$INVOICE")"
HASH="$(json_field "$PY" payment_hash <<<"$INVOICE")"
check "a) LNbits invoice is a regtest BOLT11 of 1000 sat made by alice" eq "${BOLT11:0:10}" "lnbcrt10u1"
check "a) alice holds the invoice OPEN" eq "$(sim alice GET "/v1/invoice/$HASH" | json_field "$PY" state)" OPEN
LOOKUPS="$(calls alice LookupInvoice)"
PAID="$(sim bob POST /v2/router/send "{\"payment_request\":\"$BOLT11\",\"no_inflight_updates\":true}")"
check "a) bob's SendPaymentV2 succeeded" eq "$(json_field "$PY" result.status <<<"$PAID")" SUCCEEDED
check "a) LNbits credited 1000 sat (wallet balance polled, no status call)" wait_for 30 balance_is 1000000
check "a) ... from its SubscribeInvoices stream (LNbits logs 'fundingsource invoice ... settled')" \
    grep -q "fundingsource invoice $HASH settled" "$LNB_DIR/lnbits.log"
check "a) ... and confirmed the stream event with one LookupInvoice" \
    eq "$(calls alice LookupInvoice)/$(("$(calls alice SubscribeInvoices)" > 0))" "$((LOOKUPS + 1))/1"
check "a) LNbits reports the invoice paid" eq "$(wallet status "$HASH" "$INKEY" | json_field "$PY" paid)" true

# b) funded LNbits wallet pays a bob invoice through alice.
wallet fund "$WALLET_ID" 100000 >/dev/null
BOB_INVOICE="$(sim bob POST /v1/invoices '{"value":"2000","memo":"paid by LNbits"}')"
BOB_BOLT11="$(json_field "$PY" payment_request <<<"$BOB_INVOICE")"
BOB_HASH="$("$PY" -c 'import base64, sys; print(base64.b64decode(sys.argv[1]).hex())' \
    "$(json_field "$PY" r_hash <<<"$BOB_INVOICE")")"
PAYMENT="$(wallet pay "$ADMINKEY" "$BOB_BOLT11")"
check "b) LNbits pay returned status success" eq "$(json_field "$PY" status <<<"$PAYMENT")" success
check "b) bob's invoice is SETTLED" eq "$(sim bob GET "/v1/invoice/$BOB_HASH" | json_field "$PY" state)" SETTLED
check "b) LNbits got the preimage of bob's invoice" eq \
    "$("$PY" -c 'import hashlib, sys; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).hexdigest())' \
        "$(json_field "$PY" preimage <<<"$PAYMENT")")" "$BOB_HASH"
check "b) exactly one SendPaymentV2 reached alice" eq "$(counter "$BOB_HASH" sends)" 1
check "b) wallet balance 1000 + 100000 - 2000 sat" balance_is 99000000

# c) an invoice of a node outside the simulator cannot be routed.
FOREIGN="$(cd "$HERE" && python3 -c '
import os, time
from lndsim import bolt11
inv = bolt11.Invoice(bolt11.NETWORKS["regtest"], os.urandom(32), int(time.time()), 5000 * 1000,
                     os.urandom(32), "foreign", expiry=3600, min_final_cltv=80, features=frozenset({8, 14, 17}))
print(bolt11.encode(inv, os.urandom(32)))')"
FOREIGN_PAYMENT="$(wallet pay "$ADMINKEY" "$FOREIGN" 2>/dev/null || true)"
check "c) paying a foreign invoice fails in LNbits" eq "$(json_field "$PY" status <<<"$FOREIGN_PAYMENT")" failed
check "c) LNbits reports LND's failure reason" \
    grep -q "FAILURE_REASON_NO_ROUTE" <<<"$FOREIGN_PAYMENT"
check "c) balance unchanged" balance_is 99000000

# d) the send is dispatched but answered with HTTP 500: LNbits must keep it pending and
#    settle it through TrackPaymentV2, never paying twice.
control_post /v1/fault '{"node":"alice","kind":"error","endpoint":"/v2/router/send","grpc_code":2,"message":"transport lost","phase":"after","times":1}'
LOST_INVOICE="$(sim bob POST /v1/invoices '{"value":"3000","memo":"answer lost"}')"
LOST_HASH="$("$PY" -c 'import base64, sys; print(base64.b64decode(sys.argv[1]).hex())' \
    "$(json_field "$PY" r_hash <<<"$LOST_INVOICE")")"
LOST_PAYMENT="$(wallet pay "$ADMINKEY" "$(json_field "$PY" payment_request <<<"$LOST_INVOICE")" 2>/dev/null || true)"
check "d) LNbits treats the 500 after dispatch as pending" eq "$(json_field "$PY" status <<<"$LOST_PAYMENT")" pending
paid_via_track() { eq "$(wallet status "$LOST_HASH" "$ADMINKEY" | json_field "$PY" paid)" true 2>/dev/null; }
check "d) LNbits' status check finds it paid" wait_for 30 paid_via_track
check "d) ... by TrackPaymentV2" eq "$(("$(calls alice TrackPaymentV2)" > 0))" 1
check "d) alice sent it once and bob settled it" eq \
    "$(counter "$LOST_HASH" sends)/$(counter "$LOST_HASH" succeeded)" 1/1
check "d) wallet balance 99000 - 3000 sat" balance_is 96000000

echo "$PASSED passed, $FAILED failed"
[[ "$FAILED" -eq 0 ]]
