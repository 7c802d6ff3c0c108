#!/usr/bin/env bash
# setup.sh: start regtest/docker-compose.yml and make it ready for t4gd.
#
# NOT RUN HERE: the development machines and CI have no Docker engine (see README.md).
#
# Usage: regtest/docker/setup.sh        (re-running it is safe: finished steps are skipped)
# Needs: Docker with Compose v2 ("docker compose") and a running engine; curl; python3.
# Steps: docker compose up -d; create bitcoind wallet "miner" and mine 101 blocks; fund
#        lnd1 with 5 BTC; open a 1,000,000 sat channel lnd1 -> lnd2 (300,000 sat pushed
#        to lnd2, so both sides can pay); wait until both see it active; copy each node's
#        tls.cert, admin.macaroon and invoice.macaroon to regtest/docker/data/lndN/; do
#        LNbits' first-install call.
# Out:   t4gd [lnd] settings for lnd1 and lnd2 on stdout, and
#        regtest/docker/data/lnbits/lnbits.json {"url", "admin_token"}, the same fields
#        regtest/lnbits/wallet.sh reads, so `wallet.sh regtest/docker/data/lnbits create X`
#        works against the LNbits in Docker.
# Env:   T4G_BITCOIND_RPC_PORT, T4G_LND1_REST_PORT, T4G_LND2_REST_PORT, T4G_LNBITS_PORT
#        must match what the stack was started with (defaults 18443, 8081, 8082, 5001).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
COMPOSE_FILE="$HERE/../docker-compose.yml"
EXPORT="$HERE/data"
BITCOIND_URL="http://127.0.0.1:${T4G_BITCOIND_RPC_PORT:-18443}"
LNBITS_URL="http://127.0.0.1:${T4G_LNBITS_PORT:-5001}"
LNBITS_USER="admin"
LNBITS_PASSWORD=t4gd-regtest
CHANNEL_SAT=1000000
PUSH_SAT=300000

compose() { docker compose -f "$COMPOSE_FILE" "$@"; }
lncli() { compose exec -T "$1" lncli --network=regtest "${@:2}"; }
log() { echo "setup.sh: $*" >&2; }

# field PATH: print the value at PATH (dotted keys) of the JSON on stdin.
field() {
    python3 -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    value = value[key]
print(value if isinstance(value, str) else json.dumps(value))' "$1"
}

# btc METHOD [PARAMS_JSON [WALLET]]: bitcoind JSON-RPC over the published port; prints
# the result, or fails with bitcoind's error message.
btc() {
    local url="$BITCOIND_URL/" response
    if [[ -n "${3:-}" ]]; then url="$BITCOIND_URL/wallet/$3"; fi
    response="$(curl -s --max-time 30 --user t4gd:t4gd -H 'Content-Type: text/plain' \
        --data-binary "{\"jsonrpc\":\"1.0\",\"id\":\"setup\",\"method\":\"$1\",\"params\":${2:-[]}}" "$url")" \
        || return 1
    python3 -c '
import json, sys
reply = json.loads(sys.argv[1])
if reply.get("error"):
    sys.exit("bitcoind: %s" % reply["error"].get("message"))
result = reply["result"]
print(result if isinstance(result, str) else json.dumps(result))' "$response"
}

# wait_for DESCRIPTION SECONDS COMMAND...: retry COMMAND every 2 s until it succeeds.
wait_for() {
    local description="$1" deadline=$((SECONDS + $2))
    shift 2
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            log "timed out waiting for $description"
            exit 1
        fi
        sleep 2
    done
}

mine() { btc generatetoaddress "[$1, \"$MINER_ADDRESS\"]" miner >/dev/null; }

# channel_active NODE PUBKEY: true when NODE has an active channel with PUBKEY.
channel_active() {
    lncli "$1" listchannels --active_only | python3 -c '
import json, sys
sys.exit(not any(c["remote_pubkey"] == sys.argv[1] for c in json.load(sys.stdin)["channels"]))' "$2"
}

# channel_pending NODE PUBKEY: true when NODE has a pending open channel with PUBKEY.
channel_pending() {
    lncli "$1" pendingchannels | python3 -c '
import json, sys
pending = json.load(sys.stdin)["pending_open_channels"]
sys.exit(not any(c["channel"]["remote_node_pub"] == sys.argv[1] for c in pending))' "$2"
}

lnd_synced() { [[ "$(lncli "$1" getinfo | field synced_to_chain)" == true ]]; }
lnd1_funded() {
    local sat
    sat="$(lncli lnd1 walletbalance | field confirmed_balance)" && ((sat > 0))
}
lnbits_up() { [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$LNBITS_URL/api/v1/health")" =~ ^(200|307)$ ]]; }

docker compose version >/dev/null 2>&1 || { log "needs Docker Compose v2 (docker compose)"; exit 1; }
docker info >/dev/null 2>&1 || { log "no Docker engine answers (docker info failed)"; exit 1; }

log "starting the stack"
compose up -d

wait_for "bitcoind RPC" 60 btc getblockchaininfo
if ! btc listwallets | grep -q '"miner"'; then
    btc loadwallet '["miner"]' >/dev/null 2>&1 || btc createwallet '["miner"]' >/dev/null
fi
MINER_ADDRESS="$(btc getnewaddress '[]' miner)"
height="$(btc getblockcount)"
if ((height < 101)); then
    log "mining $((101 - height)) blocks"
    mine $((101 - height))
fi

# lnd counts as synced only while the newest block is less than 2 hours old.
mine 1
wait_for "lnd1 RPC" 180 lncli lnd1 getinfo
wait_for "lnd2 RPC" 180 lncli lnd2 getinfo
wait_for "lnd1 synced to chain" 120 lnd_synced lnd1
wait_for "lnd2 synced to chain" 120 lnd_synced lnd2

if ! lnd1_funded; then
    log "funding lnd1 with 5 BTC"
    btc sendtoaddress "[\"$(lncli lnd1 newaddress p2wkh | field address)\", 5]" miner >/dev/null
    mine 6
    wait_for "lnd1's confirmed balance" 60 lnd1_funded
fi

LND2_PUBKEY="$(lncli lnd2 getinfo | field identity_pubkey)"
if ! channel_active lnd1 "$LND2_PUBKEY"; then
    if ! channel_pending lnd1 "$LND2_PUBKEY"; then
        log "opening a $CHANNEL_SAT sat channel lnd1 -> lnd2"
        lncli lnd1 connect "$LND2_PUBKEY@lnd2:9735" >/dev/null 2>&1 || true # fails if already connected
        lncli lnd1 openchannel --node_key "$LND2_PUBKEY" --local_amt "$CHANNEL_SAT" --push_amt "$PUSH_SAT" >/dev/null
    fi
    mine 6
    wait_for "the channel to be active on lnd1" 60 channel_active lnd1 "$LND2_PUBKEY"
    wait_for "the channel to be active on lnd2" 60 channel_active lnd2 "$(lncli lnd1 getinfo | field identity_pubkey)"
fi

for node in lnd1 lnd2; do
    mkdir -p "$EXPORT/$node"
    container="$(compose ps -q "$node")"
    docker cp "$container:/root/.lnd/tls.cert" "$EXPORT/$node/tls.cert"
    for macaroon in admin invoice; do
        docker cp "$container:/root/.lnd/data/chain/bitcoin/regtest/$macaroon.macaroon" "$EXPORT/$node/"
    done
done

wait_for "LNbits" 300 lnbits_up
credentials="{\"username\":\"$LNBITS_USER\",\"password\":\"$LNBITS_PASSWORD\",\"password_repeat\":\"$LNBITS_PASSWORD\"}"
token="$(curl -s -X PUT "$LNBITS_URL/api/v1/auth/first_install" -H 'Content-Type: application/json' \
    -d "$credentials" | field access_token 2>/dev/null)" \
    || token="$(curl -s -X POST "$LNBITS_URL/api/v1/auth" -H 'Content-Type: application/json' \
        -d "$credentials" | field access_token)"
mkdir -p "$EXPORT/lnbits"
printf '{"url": "%s", "admin_token": "%s"}\n' "$LNBITS_URL" "$token" >"$EXPORT/lnbits/lnbits.json"

for node in lnd1 lnd2; do
    if [[ "$node" == lnd1 ]]; then port="${T4G_LND1_REST_PORT:-8081}"; else port="${T4G_LND2_REST_PORT:-8082}"; fi
    cat <<TOML
# $node ($(lncli "$node" getinfo | field identity_pubkey))
[lnd]
rest_url = "https://127.0.0.1:$port"
tls_cert_path = "$EXPORT/$node/tls.cert"
macaroon_path = "$EXPORT/$node/admin.macaroon"

TOML
done
cat <<TEXT
# LNbits (funding source: lnd1): $LNBITS_URL
# super-user token and URL: $EXPORT/lnbits/lnbits.json
# create a wallet: regtest/lnbits/wallet.sh $EXPORT/lnbits create NAME
TEXT
