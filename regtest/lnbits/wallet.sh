#!/usr/bin/env bash
# wallet.sh: wallet chores against the LNbits that start.sh started in DATA_DIR.
#
# Usage: wallet.sh DATA_DIR create NAME             new account + wallet (no auth)
#        wallet.sh DATA_DIR fund WALLET_ID SATS     super-user credit (negative SATS debits)
#        wallet.sh DATA_DIR balance KEY             {"name", "balance" (msat)[, "id" with admin key]}
#        wallet.sh DATA_DIR invoice KEY SATS [MEMO] create an invoice (inkey or adminkey)
#        wallet.sh DATA_DIR pay ADMINKEY BOLT11     pay an invoice
#        wallet.sh DATA_DIR status HASH [KEY]       GET /api/v1/payments/HASH
# Out:   stdout: LNbits' JSON response body, unchanged.
#          create:  the Wallet: id, user, adminkey, inkey, name, balance_msat, currency, ...
#          fund:    {"success": true, "message": "Balance updated."}
#          invoice: the Payment: payment_hash, bolt11, amount (msat), status "pending", ...
#          pay:     the Payment: status "success" | "pending" | "failed", fee (msat, <= 0), ...
#          status:  {"paid", "preimage"[, "status"][, "details" with the owner's key]}
# Exit:  0 on HTTP 2xx; otherwise 1 with "wallet.sh: HTTP <code>" on stderr (the error body,
#        e.g. {"detail": ..., "status": "failed"}, is still printed on stdout).
#        Note: a pay can answer 201 with status "failed" or "pending"; read "status".
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
    sed -n 4,9p "${BASH_SOURCE[0]}" | sed 's/^# //' >&2
    exit 2
}

[[ $# -ge 2 ]] || usage
STATE="$1/lnbits.json"
[[ -f "$STATE" ]] || { echo "wallet.sh: no $STATE; run start.sh first" >&2; exit 1; }
PY="$(lnbits_python)"
URL="$(json_field "$PY" url <"$STATE")"
COMMAND="$2"
shift 2

BODY="$(mktemp)"
trap 'rm -f "$BODY"' EXIT

case "$COMMAND:$#" in
    create:1)
        code="$(http "$BODY" POST "$URL/api/v1/account" "$(json_object "$PY" name="$1")")"
        ;;
    fund:2)
        # The top-up lives under /users/api/v1 and accepts only the super user's Bearer
        # token (API keys get 401); amount is in sat.
        code="$(http "$BODY" PUT "$URL/users/api/v1/balance" "$(json_object "$PY" id="$1" amount:="$2")" \
            "Authorization: Bearer $(json_field "$PY" admin_token <"$STATE")")"
        ;;
    balance:1)
        code="$(http "$BODY" GET "$URL/api/v1/wallet" "" "X-Api-Key: $1")"
        ;;
    invoice:2 | invoice:3)
        code="$(http "$BODY" POST "$URL/api/v1/payments" \
            "$(json_object "$PY" out:=false amount:="$2" memo="${3:-t4gd regtest}")" "X-Api-Key: $1")"
        ;;
    pay:2)
        code="$(http "$BODY" POST "$URL/api/v1/payments" "$(json_object "$PY" out:=true bolt11="$2")" \
            "X-Api-Key: $1")"
        ;;
    status:1 | status:2)
        headers=()
        if [[ $# -eq 2 ]]; then headers=("X-Api-Key: $2"); fi
        code="$(http "$BODY" GET "$URL/api/v1/payments/$1" "" "${headers[@]}")"
        ;;
    *)
        usage
        ;;
esac

cat "$BODY"
echo
if [[ "$code" != 2?? ]]; then
    echo "wallet.sh: HTTP $code" >&2
    exit 1
fi
