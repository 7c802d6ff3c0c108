#!/usr/bin/env bash
# The model-based replay test in its long form (Tests/DaemonTests/ReplayModelTests.swift): SEEDS runs (default
# 5) of OPS random writes (default 60) each, every call repeated at once, concurrently, after expiry, after a
# client disconnect or after a kill -9 and restart of either daemon; ENGINE sqlite (default) or postgres. The
# final state of each run must equal that of the same writes done once. The CI form (10 writes, one seed) runs
# as part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-5}"
ops="${2:-60}"
engine="${3:-sqlite}"
scripts/setup.sh
swift build --build-tests
for seed in $(seq 1 "$seeds"); do
    T4GD_REPLAY_SEED="$seed" T4GD_REPLAY_OPS="$ops" T4GD_REPLAY_ENGINE="$engine" \
        swift test --skip-build --filter ReplayModelTests 2>&1 | grep -E 'replay model:|passed|failed|Expectation'
done
