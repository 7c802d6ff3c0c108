#!/usr/bin/env bash
# selftest.sh: end-to-end check of install.sh, start.sh, wallet.sh and stop.sh against a
# real LNbits 1.6.2 with FakeWallet, in a temporary data dir that is removed afterwards.
#
# Usage: selftest.sh
# Checks: two wallets A and B; A funded by the super user; B invoices (invoice key), A pays
# (admin key); balances and payment status on both sides; the WebSocket push channel
# /api/v1/ws/{id} for B's invoice key, A's invoice key and the payment hash (frames are
# printed, including the duplicate and forged frames noted in the README); error bodies
# (invoice key paying, insufficient balance, paying twice, top-up without token, unknown
# key); finally stop.sh and that the process group and port are gone.
# Out:   one line per check, step timings, then "N passed, N failed". Exit 1 on any failure.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PASSED=0
FAILED=0
# expect LABEL ACTUAL EXPECTED: count and print one check.
expect() {
    if [[ "$2" == "$3" ]]; then
        PASSED=$((PASSED + 1))
        echo "ok    $1"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL  $1: got '$2', expected '$3'"
    fi
}

# step LABEL: print the seconds since the previous step.
STEP_START=$EPOCHREALTIME
step() {
    local now=$EPOCHREALTIME
    awk -v label="$1" -v a="$now" -v b="$STEP_START" 'BEGIN { printf "time  %-30s %6.2f s\n", label, a - b }'
    STEP_START=$now
}

WORK="$(mktemp -d)"
DATA="$WORK/lnbits"
trap '"$LNBITS_SCRIPTS/stop.sh" "$DATA" 2>/dev/null || true; rm -rf "$WORK"' EXIT
W="$LNBITS_SCRIPTS/wallet.sh"

VENV="$("$LNBITS_SCRIPTS/install.sh")"
PY="$VENV/bin/python"
step "install.sh"
"$LNBITS_SCRIPTS/start.sh" "$DATA" >"$WORK/state.json"
step "start.sh (to ready + token)"
URL="$(json_field "$PY" url <"$WORK/state.json")"
PGID="$(json_field "$PY" pgid <"$WORK/state.json")"

# get FILE PATH: a field of a saved response ("<missing>" if absent).
get() { json_field "$PY" "$2" <"$1" 2>/dev/null || echo "<missing>"; }

"$W" "$DATA" create A >"$WORK/A.json"
"$W" "$DATA" create B >"$WORK/B.json"
A_ID="$(get "$WORK/A.json" id)"
A_ADMIN="$(get "$WORK/A.json" adminkey)"
A_IN="$(get "$WORK/A.json" inkey)"
B_ADMIN="$(get "$WORK/B.json" adminkey)"
B_IN="$(get "$WORK/B.json" inkey)"
"$W" "$DATA" fund "$A_ID" 100000 >"$WORK/fund.json"
expect "fund A 100000 sat" "$(get "$WORK/fund.json" success)" true
"$W" "$DATA" balance "$A_IN" >"$WORK/bal.json"
expect "A balance after funding (msat)" "$(get "$WORK/bal.json" balance)" 100000000
step "2 wallets + funding"

"$W" "$DATA" invoice "$B_IN" 1000 selftest >"$WORK/inv.json"
HASH="$(get "$WORK/inv.json" payment_hash)"
BOLT11="$(get "$WORK/inv.json" bolt11)"
expect "B's invoice is pending" "$(get "$WORK/inv.json" status)" pending
expect "B's invoice amount (msat)" "$(get "$WORK/inv.json" amount)" 1000000
expect "FakeWallet invoices are mainnet-style" "${BOLT11:0:6}" lnbc10
step "invoice (B, invoice key)"

# Listen on the push channel while A pays: B's invoice key (payee), A's invoice key
# (payer) and the payment hash. The listener stops by itself 3 s after it is connected.
"$PY" - "${URL/http/ws}" "$WORK/ws.jsonl" "$WORK/ws.ready" 3 \
    "B_inkey=$B_IN" "A_inkey=$A_IN" "hash=$HASH" <<'PY' &
import json, sys, threading, time
from websockets.sync.client import connect

base, out_path, ready_path, seconds = sys.argv[1:5]
sockets = [(label, connect(f"{base}/api/v1/ws/{ident}"))
           for label, ident in (arg.split("=", 1) for arg in sys.argv[5:])]
deadline = time.monotonic() + float(seconds)
frames, lock = [], threading.Lock()

def read(label, ws):
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = ws.recv(timeout=left)
        except TimeoutError:
            break
        with lock:
            frames.append({"sub": label, "time": time.time(), "frame": message})
    ws.close()

threads = [threading.Thread(target=read, args=s) for s in sockets]
for t in threads:
    t.start()
open(ready_path, "w").close()
for t in threads:
    t.join()
with open(out_path, "w") as out:
    for f in frames:
        out.write(json.dumps(f) + "\n")
PY
LISTENER=$!
for _ in $(seq 40); do [[ -f "$WORK/ws.ready" ]] && break; sleep 0.25; done
expect "WebSocket listener connected" "$([[ -f "$WORK/ws.ready" ]] && echo yes)" yes

PAY_SENT=$EPOCHREALTIME
"$W" "$DATA" pay "$A_ADMIN" "$BOLT11" >"$WORK/pay.json"
PAY_DONE=$EPOCHREALTIME
step "pay (A, admin key)"
expect "A's payment status" "$(get "$WORK/pay.json" status)" success
expect "A's payment is settled internally" "$(get "$WORK/pay.json" checking_id)" "internal_$HASH"
expect "A's payment amount (msat)" "$(get "$WORK/pay.json" amount)" -1000000
expect "A's payment fee (msat)" "$(get "$WORK/pay.json" fee)" 0
"$W" "$DATA" balance "$A_IN" >"$WORK/bal.json"
expect "A balance after paying (msat)" "$(get "$WORK/bal.json" balance)" 99000000
"$W" "$DATA" balance "$B_IN" >"$WORK/bal.json"
expect "B balance after being paid (msat)" "$(get "$WORK/bal.json" balance)" 1000000
"$W" "$DATA" status "$HASH" "$B_IN" >"$WORK/st.json"
expect "status with B's key: paid" "$(get "$WORK/st.json" paid)" true
expect "status with B's key: incoming amount" "$(get "$WORK/st.json" details.amount)" 1000000
expect "status preimage = invoice preimage" "$(get "$WORK/st.json" preimage)" "$(get "$WORK/inv.json" preimage)"
"$W" "$DATA" status "$HASH" "$A_IN" >"$WORK/st.json"
expect "status with A's key: outgoing amount" "$(get "$WORK/st.json" details.amount)" -1000000
"$W" "$DATA" status "$HASH" >"$WORK/st.json"
expect "status without key: paid, no details" "$(get "$WORK/st.json" paid) $(get "$WORK/st.json" details)" "true <missing>"

# Anyone can push a frame to a subscriber: GET /api/v1/ws/{id}/{data}.
code="$(http "$WORK/forge.json" GET "$URL/api/v1/ws/$B_IN/forged-hello" "")"
expect "forged frame accepted without auth" "$code $(get "$WORK/forge.json" sent)" "200 true"

wait "$LISTENER"
awk -v a="$PAY_DONE" -v b="$PAY_SENT" \
    'BEGIN { printf "--- WebSocket frames, in s after the pay request was sent (it returned at %.3f s) ---\n", a - b }'
# Prints each frame; writes "SUBSCRIPTION:KIND COUNT" lines to ws-counts.txt.
"$PY" - "$WORK/ws.jsonl" "$PAY_SENT" "$HASH" "$WORK/ws-counts.txt" <<'PY'
import json, sys
path, sent, payment_hash, counts_path = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
counts = {}
for line in open(path):
    f = json.loads(line)
    try:
        body = json.loads(f["frame"])
    except ValueError:
        body = f["frame"]
    if isinstance(body, dict) and "payment" in body:
        p = body["payment"]
        kind = "payment" if p["payment_hash"] == payment_hash else "other-payment"
        shown = {"wallet_balance": body["wallet_balance"], "payment.amount": p["amount"],
                 "payment.status": p["status"]}
    elif isinstance(body, dict) and "status" in body:
        kind, shown = "hash-status", body
    else:
        kind, shown = "text", body
    counts[f["sub"] + ":" + kind] = counts.get(f["sub"] + ":" + kind, 0) + 1
    print(f"  {f['time'] - sent:6.3f}  {f['sub']:8} {json.dumps(shown)}")
with open(counts_path, "w") as out:
    for key in sorted(counts):
        out.write(f"{key} {counts[key]}\n")
PY
sed 's/^/  count /' "$WORK/ws-counts.txt"
count() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/ws-counts.txt"; }
expect "B_inkey got a frame for its payment" "$([[ "$(count B_inkey:payment)" -ge 1 ]] && echo yes)" yes
expect "A_inkey got a frame for its payment" "$([[ "$(count A_inkey:payment)" -ge 1 ]] && echo yes)" yes
expect "hash subscription got a status frame" "$([[ "$(count hash:hash-status)" -ge 1 ]] && echo yes)" yes
expect "B_inkey received the forged text frame" "$(count B_inkey:text)" 1
step "checks + WebSocket (3 s listen)"

# Error bodies.
PAY_BODY="$(json_object "$PY" out:=true bolt11="$BOLT11")"
code="$(http "$WORK/err.json" POST "$URL/api/v1/payments" "$PAY_BODY" "X-Api-Key: $B_IN")"
expect "pay with an invoice key" "$code $(cat "$WORK/err.json")" \
    '403 {"detail":"Invoice (or Admin) key required."}'
code="$(http "$WORK/err.json" POST "$URL/api/v1/payments" "$PAY_BODY" "X-Api-Key: $A_ADMIN")"
expect "pay an already paid invoice" "$code $(cat "$WORK/err.json")" \
    '520 {"detail":"Internal invoice already paid.","status":"failed"}'
"$W" "$DATA" invoice "$A_IN" 5000 >"$WORK/inv2.json"
code="$(http "$WORK/err.json" POST "$URL/api/v1/payments" \
    "$(json_object "$PY" out:=true bolt11="$(get "$WORK/inv2.json" bolt11)")" "X-Api-Key: $B_ADMIN")"
expect "pay 5000 sat with 1000 sat" "$code $(cat "$WORK/err.json")" \
    '520 {"detail":"Insufficient balance.","status":"failed"}'
"$W" "$DATA" balance "$B_IN" >"$WORK/bal.json"
expect "B balance unchanged by the failures" "$(get "$WORK/bal.json" balance)" 1000000
code="$(http "$WORK/err.json" PUT "$URL/users/api/v1/balance" "$(json_object "$PY" id="$A_ID" amount:=1)" \
    "X-Api-Key: $A_ADMIN")"
expect "top-up with an admin key, no token" "$code $(cat "$WORK/err.json")" \
    '401 {"detail":"Missing user ID or access token."}'
code="$(http "$WORK/err.json" GET "$URL/api/v1/wallet" "" "X-Api-Key: 0123456789abcdef0123456789abcdef")"
expect "unknown api key" "$code $(cat "$WORK/err.json")" '404 {"detail":"Wallet not found."}'
step "error cases"

"$LNBITS_SCRIPTS/stop.sh" "$DATA" 2>/dev/null
step "stop.sh"
expect "process group gone" "$(group_alive "$PGID" && echo alive || echo gone)" gone
expect "port closed" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/api/v1/health" || true)" 000
expect "lnbits.json removed" "$([[ -e "$DATA/lnbits.json" ]] && echo present || echo removed)" removed
if "$LNBITS_SCRIPTS/stop.sh" "$DATA" 2>/dev/null; then rc=0; else rc=$?; fi
expect "second stop.sh succeeds (no-op)" "$rc" 0

echo "$PASSED passed, $FAILED failed"
[[ "$FAILED" -eq 0 ]]
