#!/usr/bin/env python3
"""Turns the benchmark tool's JMH export into per-invoice numbers and codec/bare ratios, and the proof
benchmarks' per-operation metrics into a table.

usage: summarize.py RESULTS.jmh.json [INVOICES_PER_ITERATION]

One BOLT #11 sample is one pass over the whole corpus. Medians and minima are taken over the raw samples;
on a shared machine the minimum CPU time is the figure least disturbed by other processes. The proof
benchmarks record thread CPU time per operation (and per bare baseline) themselves.
"""
import json
import statistics
import sys

GOALS = {"bolt11.decode": 1.15}

path = sys.argv[1]
invoices = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
elements = json.load(open(path))

rows = {}
paired = {}
proofs = {}
for element in elements:
    name = element["benchmark"].split(".", 3)[-1]  # package.benchmark.TARGET.NAME
    metrics = element["secondaryMetrics"]
    if name.startswith("proof."):
        proofs[name] = {key: metrics[key]["rawData"][0] for key in metrics}
        continue
    if name.endswith(".paired"):
        ratios = [value / 1000 for value in metrics["codec/bare ratio x1000"]["rawData"][0]]
        paired[name.removesuffix(".paired")] = {
            "codec": statistics.median(metrics["codec CPU ns/invoice"]["rawData"][0]) / 1000,
            "bare": statistics.median(metrics["bare CPU ns/invoice"]["rawData"][0]) / 1000,
            "ratio": statistics.median(ratios),
            "low": min(ratios),
            "high": max(ratios),
            "samples": len(ratios),
        }
        continue

    def samples(metric):
        return metrics[metric]["rawData"][0]

    wall = samples("Time (wall clock)")
    cpu = samples("Time (total CPU)")
    rows[name] = {
        "wall": statistics.median(wall) / invoices,
        "cpu": statistics.median(cpu) / invoices,
        "cpu_min": min(cpu) / invoices,
        "mallocs": statistics.median(samples("Malloc (total)")) / invoices,
        "samples": len(wall),
    }

header = (
    f"| {'benchmark':<20} | {'wall µs/inv':>11} | {'inv/s/core':>10} | {'CPU µs/inv':>10} | {'CPU min':>7} | "
    f"{'mallocs/inv':>11} | {'ratio wall':>10} | {'ratio CPU':>9} | {'ratio CPU min':>13} | {'goal':>6} | {'n':>3} |"
)
if rows:
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")


def ratio(row, base, key):
    return f"{row[key] / base[key]:.3f}" if base else "—"


for name in sorted(rows):
    row = rows[name]
    base = rows.get(name + ".bare")
    goal = f"≤{GOALS[name]:.2f}" if name in GOALS else "—"
    print(
        f"| {name:<20} | {row['wall']:>11.2f} | {1e6 / row['wall']:>10.0f} | {row['cpu']:>10.2f} | "
        f"{row['cpu_min']:>7.2f} | {row['mallocs']:>11.2f} | {ratio(row, base, 'wall'):>10} | "
        f"{ratio(row, base, 'cpu'):>9} | {ratio(row, base, 'cpu_min'):>13} | {goal:>6} | {row['samples']:>3} |"
    )

if paired:
    print()
    print("Paired (codec pass and bare pass back to back in each iteration, thread CPU time):")
    print()
    print(
        f"| {'benchmark':<20} | {'codec µs/inv':>12} | {'bare µs/inv':>11} | {'ratio (median of pairs)':>23} | "
        f"{'min':>5} | {'max':>5} | {'goal':>6} | {'n':>3} |"
    )
    print("|" + "|".join(["-" * 22, "-" * 14, "-" * 13, "-" * 25, "-" * 7, "-" * 7, "-" * 8, "-" * 5]) + "|")
    for name in sorted(paired):
        row = paired[name]
        goal = f"≤{GOALS[name]:.2f}" if name in GOALS else "—"
        print(
            f"| {name:<20} | {row['codec']:>12.2f} | {row['bare']:>11.2f} | {row['ratio']:>23.3f} | "
            f"{row['low']:>5.3f} | {row['high']:>5.3f} | {goal:>6} | {row['samples']:>3} |"
        )

if proofs:
    print()
    print("Proofs (thread CPU time per operation; validations paired with their bare BIP340 verifications):")
    print()
    print(
        f"| {'benchmark':<22} | {'µs/op':>9} | {'op/s/core':>9} | {'bare µs/op':>10} | {'ratio (median)':>14} | "
        f"{'min':>5} | {'max':>5} | {'goal':>6} | {'n':>3} |"
    )
    print("|" + "|".join(["-" * 24, "-" * 11, "-" * 11, "-" * 12, "-" * 16, "-" * 7, "-" * 7, "-" * 8, "-" * 5]) + "|")
    for name in sorted(proofs, key=lambda name: (len(name), name)):
        metrics = proofs[name]
        measured = statistics.median(metrics["CPU ns/operation"]) / 1000
        bare, ratio, low, high, goal = "—", "—", "—", "—", "—"
        if "ratio to bare x1000" in metrics:
            ratios = [value / 1000 for value in metrics["ratio to bare x1000"]]
            bare = f"{statistics.median(metrics['bare CPU ns/operation']) / 1000:.1f}"
            ratio, low, high = f"{statistics.median(ratios):.3f}", f"{min(ratios):.3f}", f"{max(ratios):.3f}"
            goal = "≤1.20" if name.rsplit(".", 1)[-1].isdigit() else "—"  # the goal is for full validations
        print(
            f"| {name:<22} | {measured:>9.1f} | {1e6 / measured:>9.0f} | {bare:>10} | {ratio:>14} | {low:>5} | "
            f"{high:>5} | {goal:>6} | {len(metrics['CPU ns/operation']):>3} |"
        )
