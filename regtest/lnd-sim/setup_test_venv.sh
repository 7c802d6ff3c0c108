#!/usr/bin/env bash
# Create (once) the venv the self-tests use for an independent BOLT11 decoder, and print its python.
# The simulator itself needs only the standard library. PyPI only.
# Location: $LND_SIM_TEST_VENV, default ${T4G_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/t4gd}/lnd-sim-test-venv.
# Atomic and serialised (../install-once.sh): one process builds it under a lock in a temporary folder renamed
# into place when complete, others wait (at most $T4G_INSTALL_WAIT s) or find it done; a half-made venv from a
# killed run is rebuilt.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../install-once.sh"

venv="${LND_SIM_TEST_VENV:-${T4G_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/t4gd}/lnd-sim-test-venv}"
python="${PYTHON:-python3}"

# build_venv DIR: the decoder venv in DIR (empty).
build_venv() {
  "$python" -m venv "$1"
  # bitstring 5 breaks `import bolt11` (see shared/reference/lnbits-regtest.md)
  "$1/bin/python" -m pip install --quiet --disable-pip-version-check 'bolt11==2.1.1' 'bitstring<5' coincurve >&2
  "$1/bin/python" -c 'import bolt11, coincurve' >&2
}

install_once "the LND simulator's test venv" "$venv" build_venv
echo "$venv/bin/python"
