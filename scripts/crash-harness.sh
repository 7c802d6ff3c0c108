#!/usr/bin/env bash
# The crash-safety harness in its long form: CYCLES (default 200) SIGKILL/restart cycles on the dev network and
# on the LND simulator, every invariant checked after every cycle (Tests/DaemonTests/CrashHarness.swift).
# Each cycle's line is appended to REPORT (default crash-harness-report.txt). The CI form (20 cycles) runs as part
# of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles="${1:-200}"
report="${2:-crash-harness-report.txt}"
[[ "$report" = /* ]] || report="$(pwd)/$report"
scripts/setup.sh
swift build --build-tests
: > "$report"
T4GD_CRASH_CYCLES="$cycles" T4GD_CRASH_REPORT="$report" swift test --skip-build --filter CrashHarnessTests
echo "crash harness: $(grep -c 'all invariants hold' "$report") of $(wc -l < "$report") cycles held every invariant ($report)"
