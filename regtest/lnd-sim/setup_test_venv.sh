#!/usr/bin/env bash
# Create (once) the venv the self-tests use for an independent BOLT11 decoder, and print its python.
# The simulator itself needs only the standard library. Idempotent; PyPI only.
# Location: $LND_SIM_TEST_VENV, default ${XDG_CACHE_HOME:-~/.cache}/t4gd/lnd-sim-test-venv.
set -euo pipefail

venv="${LND_SIM_TEST_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/t4gd/lnd-sim-test-venv}"
python="${PYTHON:-python3}"
if ! "$venv/bin/python" -c 'import bolt11, coincurve' 2>/dev/null; then
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
  # bitstring 5 breaks `import bolt11` (see shared/reference/lnbits-regtest.md)
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'bolt11==2.1.1' 'bitstring<5' coincurve >&2
fi
echo "$venv/bin/python"
