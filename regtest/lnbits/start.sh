#!/usr/bin/env bash
# start.sh: start one LNbits 1.6.2 on 127.0.0.1 for tests, ready to use.
#
# Usage: start.sh DATA_DIR [--wallet-class CLASS] [NAME=VALUE ...]
#   DATA_DIR          LNbits' data folder (created if missing). Use a fresh one per run:
#                     on a data dir that already has a database, LNbits keeps the
#                     settings stored at its first start (wallet class included) and
#                     ignores the environment for them.
#   --wallet-class    LNbits funding source, default FakeWallet. For LndRestWallet,
#                     LND_REST_ENDPOINT (https://127.0.0.1:PORT), LND_REST_CERT (path) and
#                     LND_REST_MACAROON (a path ending in ".macaroon", or hex, or base64)
#                     must be given as NAME=VALUE arguments or be in the environment.
#   NAME=VALUE        extra environment for LNbits; overrides the defaults set below.
# Env:   T4G_LNBITS_START_TIMEOUT  seconds to wait for readiness (default 180: under a full test run on 2 cores LNbits once printed nothing for 60 s).
# Out:   stdout: the contents of DATA_DIR/lnbits.json:
#          {"url", "port", "pgid", "admin_token", "log", "data_dir", "wallet_class",
#           "super_user", "admin_user", "admin_password"}
#        admin_token is the super user's Bearer JWT (valid one year), needed by
#        wallet.sh fund; pgid is the process group that stop.sh signals.
#        LNbits' output goes to DATA_DIR/lnbits.log.
# Exit:  non-zero, with the log tail on stderr and nothing left running, when LNbits
#        does not become ready in time or its funding source does not connect.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
    echo "usage: start.sh DATA_DIR [--wallet-class FakeWallet|LndRestWallet|...] [NAME=VALUE ...]" >&2
    exit 2
}

[[ $# -ge 1 ]] || usage
DATA_DIR_ARG="$1"
shift
WALLET_CLASS=FakeWallet
EXTRA_ENV=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --wallet-class) [[ $# -ge 2 ]] || usage; WALLET_CLASS="$2"; shift 2 ;;
        [A-Za-z_]*=*) EXTRA_ENV+=("$1"); shift ;;
        *) usage ;;
    esac
done

if [[ "$WALLET_CLASS" == LndRestWallet ]] \
    && [[ -z "$(env "${EXTRA_ENV[@]}" printenv LND_REST_ENDPOINT || true)" ]]; then
    echo "start.sh: LndRestWallet needs LND_REST_ENDPOINT (and LND_REST_CERT, LND_REST_MACAROON)" >&2
    exit 2
fi

mkdir -p "$DATA_DIR_ARG"
DATA_DIR="$(cd "$DATA_DIR_ARG" && pwd)"
# Super-user credentials for the first-install call. The instance listens on 127.0.0.1
# only and holds fake money, so a fixed password is acceptable; it lets start.sh log in
# again when LNbits is restarted on an existing data dir.
readonly LNBITS_ADMIN_USER=admin
readonly LNBITS_ADMIN_PASSWORD=t4gd-regtest
STATE="$DATA_DIR/lnbits.json"
LOG="$DATA_DIR/lnbits.log"
PY="$(lnbits_python)"
VENV="$(dirname "$(dirname "$PY")")"

if [[ -f "$STATE" ]]; then
    old_pgid="$(json_field "$PY" pgid <"$STATE")"
    if group_alive "$old_pgid"; then
        echo "start.sh: LNbits already running for $DATA_DIR (pgid $old_pgid); run stop.sh first" >&2
        exit 1
    fi
fi

SITE_PACKAGES="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
# A free port from the kernel; the short window until LNbits binds it is accepted.
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"

# cwd must be site-packages: LNbits mounts "lnbits/static" by a relative path.
# The rate limit is raised because the default (200 requests/min per IP, health polls
# included) answers 429 to any test suite; the two price settings stop per-invoice
# BTC/fiat lookups that, without network, slow every invoice to seconds.
# bin/lnbits runs through the venv's Python: its #! line names the folder install.sh built it in.
# setsid makes LNbits the leader of a new process group: `lnbits` is a launcher plus a
# multiprocessing child running uvicorn, and only signalling the group stops both.
# With no job control in this script the background job is not a group leader, so
# setsid does not fork and $! is the group id.
(
    cd "$SITE_PACKAGES"
    exec env \
        LNBITS_DATA_FOLDER="$DATA_DIR" \
        LNBITS_BACKEND_WALLET_CLASS="$WALLET_CLASS" \
        LNBITS_RATE_LIMIT_NO=1000000 \
        LNBITS_PRICE_AGGREGATOR_ENABLED=false \
        LNBITS_EXCHANGE_RATE_PROVIDERS='[]' \
        "${EXTRA_ENV[@]}" \
        setsid "$PY" "$VENV/bin/lnbits" --host 127.0.0.1 --port "$PORT"
) >"$LOG" 2>&1 </dev/null &
PGID=$!

# fail MESSAGE: report, show the log tail, stop the group started above, exit 1.
fail() {
    echo "start.sh: $1" >&2
    echo "--- last 30 lines of $LOG ---" >&2
    tail -n 30 "$LOG" >&2 || true
    "$LNBITS_SCRIPTS/stop.sh" --pgid "$PGID" >&2 || true
    exit 1
}
trap 'fail "interrupted"' INT TERM

# Until the first install is done every path, health included, answers 307.
deadline=$((SECONDS + ${T4G_LNBITS_START_TIMEOUT:-180}))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/api/v1/health" || true)" =~ ^(200|307)$ ]]; do
    # The group exists only once setsid ran; until then the launching process itself is alive.
    group_alive "$PGID" || kill -0 "$PGID" 2>/dev/null || fail "LNbits exited during start-up"
    ((SECONDS < deadline)) || fail "LNbits not ready after ${T4G_LNBITS_START_TIMEOUT:-180} s on $URL"
    sleep 0.25
done

# LNbits answers only after its funding-source check; if that failed it fell back to
# VoidWallet (cannot pay or invoice) instead of exiting.
grep -q "Backend $WALLET_CLASS connected" "$LOG" \
    || fail "funding source $WALLET_CLASS did not connect (or the data dir's stored settings name another class)"

BODY="$DATA_DIR/.start-response.json"
CREDENTIALS="$(json_object "$PY" username="$LNBITS_ADMIN_USER" password="$LNBITS_ADMIN_PASSWORD" \
    password_repeat="$LNBITS_ADMIN_PASSWORD")"
code="$(http "$BODY" PUT "$URL/api/v1/auth/first_install" "$CREDENTIALS")"
if [[ "$code" == 403 ]]; then
    # Existing data dir: the password was set at an earlier start; log in instead.
    code="$(http "$BODY" POST "$URL/api/v1/auth" "$CREDENTIALS")"
fi
[[ "$code" == 200 ]] || fail "getting the super user's token failed: HTTP $code $(cat "$BODY")"
TOKEN="$(json_field "$PY" access_token <"$BODY")"
rm -f "$BODY"

json_object "$PY" url="$URL" port:="$PORT" pgid:="$PGID" admin_token="$TOKEN" log="$LOG" \
    data_dir="$DATA_DIR" wallet_class="$WALLET_CLASS" super_user="$(cat "$DATA_DIR/.super_user")" \
    admin_user="$LNBITS_ADMIN_USER" admin_password="$LNBITS_ADMIN_PASSWORD" >"$STATE.tmp"
mv "$STATE.tmp" "$STATE"
trap - INT TERM
cat "$STATE"
