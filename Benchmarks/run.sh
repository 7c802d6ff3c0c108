#!/usr/bin/env bash
# Builds the BOLT #11 and proof benchmarks in release mode, runs them (ordo-one/benchmark, one thread),
# and prints per-invoice and per-operation numbers with the ratio of each benchmark to its bare baseline.
#
#   Benchmarks/run.sh [extra `swift package benchmark` arguments, e.g. --target ProofBenchmarks]
#
# Results (the tool's JMH export and this script's table) go to .build-bench/results/DATE/.
# BENCH_SCRATCH overrides the build folder (default ../.build-bench), BENCH_OUT the results folder.
# Without the harness: .build-bench/release/BOLT11Profile {WORKLOAD [PASSES]|paired [ROUNDS]} and
# .build-bench/release/ProofProfile {WORKLOAD[.bare] [OPERATIONS]|paired [ROUNDS]}.
set -euo pipefail

cd "$(dirname "$0")"
scratch="${BENCH_SCRATCH:-../.build-bench}"
out="${BENCH_OUT:-$scratch/results/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "swift: $(swift --version 2>/dev/null | head -n1)"
    changes="$(git -C .. status --porcelain -- Sources/BOLT11 Sources/Proofs Sources/Secp256k1 Sources/CSecp256k1 Sources/CHashShim)"
    echo "commit: $(git -C .. rev-parse --short HEAD)${changes:+ (+ uncommitted changes in the measured modules)}"
} | tee "$out/environment.txt"

echo "== building (release)"
for product in BOLT11Benchmarks ProofBenchmarks; do
    swift build -c release --scratch-path "$scratch" --product "$product" 2>&1 | tail -n 1
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/environment.txt"
swift package --scratch-path "$scratch" --disable-sandbox benchmark --no-progress \
    --format jmh --path "$out" "$@" 2>&1 | tee "$out/benchmark.log"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/environment.txt"

invoices="$(sed -n 's/^corpus: \([0-9]*\) invoices.*/\1/p' "$out/benchmark.log" | head -n1)"
echo
grep -m1 '^corpus:' "$out/benchmark.log" || true
for results in "$out"/*.jmh.json; do
    python3 summarize.py "$results" "${invoices:-10000}"
done | tee "$out/summary.md"
