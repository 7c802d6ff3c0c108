#!/usr/bin/env bash
# Installs what building and testing t4gd needs on a fresh Debian machine with Swift 6.3:
# the C libraries (libsecp256k1 with recovery/schnorrsig/extrakeys, SQLite, OpenSSL) from apt; systemd for
# `systemd-analyze` (the unit-file test; installing the package does not start systemd in a container); setpriv
# (util-linux) and useradd/groupadd (passwd) for the peer-credential tests; PostgreSQL (server and psql) for the
# PostgreSQL store's tests, which start their own throwaway cluster as the package's `postgres` user
# (regtest/postgres/postgres.sh) — the package's own cluster is not used (and not started in a container) —
# and the openssl CLI, which makes the certificates of its TLS cluster; python3 with venv (the LNbits venv and
# the LND simulator), curl (the regtest scripts) and flock (util-linux: first-use installs take a lock,
# regtest/install-once.sh), and iproute2 (`ip netns` and veth for the network-fault tests).
# Idempotent: does nothing when everything is present. Needs root (or sudo) only to install.
set -euo pipefail

packages=(iproute2 libsecp256k1-dev libsqlite3-dev libssl-dev pkg-config systemd util-linux passwd postgresql openssl
    python3 python3-venv curl)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    # Two setups at once (two test runs on a fresh machine) take turns: apt itself would refuse the second
    # ("Could not get lock"); the wait is bounded, and the second finds the packages installed.
    status=0
    $sudo flock -w 900 -E 75 /tmp/t4gd-setup.lock sh -c \
        'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null' sh \
        "${missing[@]}" || status=$?
    if ((status == 75)); then
        echo "setup: another setup.sh held /tmp/t4gd-setup.lock for 900 s; let it finish and run again" >&2
    fi
    ((status == 0)) || exit "$status"
fi
command -v swift >/dev/null || { echo "setup: swift 6.3 is not on PATH" >&2; exit 1; }
