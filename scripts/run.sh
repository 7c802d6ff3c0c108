#!/usr/bin/env bash
# Builds t4gd and t4gctl and runs the daemon on its embedded defaults: dev backend, network regtest,
# SQLite store and seed in ./data, socket ./data/t4gd.sock. Extra arguments go to t4gd (see t4gd --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product t4gctl
swift build --product t4gd
exec .build/debug/t4gd "$@"
