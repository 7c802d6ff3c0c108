#!/usr/bin/env bash
# Installs what building and testing t4gd needs on a fresh Debian machine with Swift 6.3:
# the C libraries (libsecp256k1 with recovery/schnorrsig/extrakeys, SQLite, OpenSSL) from apt; systemd for
# `systemd-analyze` (the unit-file test; installing the package does not start systemd in a container); setpriv
# (util-linux) and useradd/groupadd (passwd) for the peer-credential tests; PostgreSQL (server and psql) for the
# PostgreSQL store's tests, which start their own throwaway cluster as the package's `postgres` user
# (regtest/postgres/postgres.sh) — the package's own cluster is not used (and not started in a container) —
# and the openssl CLI, which makes the certificates of its TLS cluster; python3 with venv (the LNbits venv and
# the LND simulator), curl (the regtest scripts) and flock (util-linux: first-use installs take a lock,
# regtest/install-once.sh).
# Idempotent: does nothing when everything is present. Needs root (or sudo) only to install.
set -euo pipefail

packages=(libsecp256k1-dev libsqlite3-dev libssl-dev pkg-config systemd util-linux passwd postgresql openssl
    python3 python3-venv curl)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift 6.3 is not on PATH" >&2; exit 1; }
