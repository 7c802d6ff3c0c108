#!/usr/bin/env bash
# Builds t4gd (release, root package) and the DaemonBench harness (release, this package), then runs
# the harness once. Extra arguments go to the harness (e.g. --duration 10 --pay-workers 16).
# Scratch paths are separate from other builds: ../../.build-dbench-root (t4gd) and ../../.build-dbench.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
(cd "$repo" && swift build -c release --product t4gd --scratch-path "$repo/.build-dbench-root")
(cd "$here" && swift build -c release --scratch-path "$repo/.build-dbench")
t4gd="$repo/.build-dbench-root/release/t4gd"
bench="$repo/.build-dbench/release/DaemonBench"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "t4gd: $(cd "$repo" && git rev-parse --short HEAD)$(cd "$repo" && git diff --quiet HEAD -- Sources Package.swift || echo ' (with uncommitted changes in Sources)')"
exec "$bench" --t4gd "$t4gd" "$@"
