#!/usr/bin/python3
"""Condenses bench/cold-start/measure.sh's outputs into the tables of README's Cold start section.

  bench/cold-start/tables.py [OUT]      (default bench/results/cold-start)

Prints, per harness subject and JVM mode, the median over the runs with the range, of the measures quoted; then each
./lanewise train run's first epoch against the median of its last five, and the further-cut variants.
"""
import glob
import os
import re
import statistics
import sys

KEYS = ["setup_ms", "warmup_ms", "warmup_calls", "warmup_converged", "calls_1_1_us", "calls_2_10_p50_us",
        "calls_11_100_p50_us", "calls_101_1000_p50_us", "calls_1001_10000_p50_us", "calls_1_1000_p99_us",
        "steady_p50_us", "steady_p99_us", "calls_to_steady", "process_ms", "step1_ms", "steps_2_10_samples_per_s",
        "steps_11_100_samples_per_s", "epoch1_samples_per_s", "epoch2_samples_per_s", "epoch10_samples_per_s"]


def runs(raw):
    table = {}
    for line in open(raw):
        m = re.match(r"run (\d+) (\w+) \{(.*)\}", line.strip())
        if m:
            fields = dict(kv.split("=", 1) for kv in m.group(3).split(", "))
            table.setdefault((fields["subject"], m.group(2)), []).append(fields)
    return table


def median_range(values):
    try:
        v = sorted(float(x) for x in values)
    except ValueError:
        return ",".join(values)
    return f"{v[len(v) // 2]:g} ({v[0]:g}-{v[-1]:g})"


def harness(raw):
    for (subject, mode), results in runs(raw).items():
        print(f"{subject} / {mode} ({len(results)} runs)")
        for key in KEYS:
            if key in results[0]:
                print(f"  {key:28s} {median_range([r[key] for r in results])}")
        if "calls_1_1000_p99_us" in results[0]:
            ratios = [float(r["calls_1_1000_p99_us"]) / float(r["steady_p50_us"]) for r in results]
            print(f"  {'p99(calls 1-1000)/steady p50':28s} {median_range([f'{x:.1f}' for x in ratios])}")


def cli(folder):
    for f in sorted(glob.glob(os.path.join(folder, "aot-*.txt"))):
        text = open(f).read()
        epochs = [int(x.replace(",", "")) for x in re.findall(r"epoch +\d+/\d+ .* ([\d,]+) samples/s", text)]
        last5 = statistics.median(epochs[-5:])
        took = re.search(r"training took ([\d.]+) s", text).group(1)
        warm = "; ".join(f"{w[0]} {w[1]}" for w in
                         re.findall(r"warm-up of the (\w+)[^:]*: ([\d,]+ calls in \d+ ms)", text))
        print(f"  {os.path.basename(f):30s} epoch 1 {epochs[0]:>8,} epoch 2 {epochs[1]:>8,} last five {last5:>9,.0f} "
              f"ratio {epochs[0] / last5:.2f} training {took} s  {warm}")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/results/cold-start"
    harness(os.path.join(out, "harness", "raw.txt"))
    print("\n./lanewise train (digits):")
    cli(os.path.join(out, "cli-train"))
    for raw in sorted(glob.glob(os.path.join(out, "cuts-*", "raw.txt"))):
        print("\n" + os.path.basename(os.path.dirname(raw)) + ":")
        harness(raw)


if __name__ == "__main__":
    main()
