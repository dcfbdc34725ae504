#!/usr/bin/env python3
"""Markdown tables from one dated run of run.sh: bench/results/isa-levels/tables.py bench/results/isa-levels/DATE
(from 2026-12-02 on; earlier directories hold one fork per benchmark, where the ranges collapse to the mean)

GEMM: Lanewise / OpenBLAS GFLOPS at each level, with the ratio per fork (min–max) beside the mean's; 512³ NN also as
a share of PeakFlopsBenchmark in the same run. Prediction: batch-1 p50 and p99 (µs) and batch-128 calls/s beside
ONNX Runtime. Training step: samples/s per optimizer and batch, and bytes per step from -prof gc.
"""
import json
import os
import sys

LEVELS = ["avx512", "avx2", "sse"]


def load(d, name):
    path = os.path.join(d, name)
    return json.load(open(path)) if os.path.exists(path) else []


def forks(e):
    return [sum(f) / len(f) for f in e["primaryMetric"]["rawData"]]


def gemm(d):
    print("| shape, op | " + " | ".join(LEVELS) + " |")
    print("|---|" + "---|" * len(LEVELS))
    rows, peak = {}, {}
    for isa in LEVELS:
        # gemm-ops and gemm-shapes first; any other gemm-*-LEVEL.json is a rerun, and its entries replace theirs.
        names = [f"gemm-ops-{isa}.json", f"gemm-shapes-{isa}.json"]
        names += sorted(n for n in os.listdir(d) if n.startswith("gemm-") and n.endswith(f"-{isa}.json") and n not in names)
        for e in [e for n in names for e in load(d, n)]:
            if "PeakFlops" in e["benchmark"]:
                peak[isa] = e["secondaryMetrics"]["flops"]["score"] / 1e9
                continue
            p = e["params"]
            rows.setdefault((p["shape"], p["op"]), {}).setdefault(isa, {})[p["impl"]] = e
    for (shape, op), by in rows.items():
        cells = []
        for isa in LEVELS:
            x = by.get(isa, {})
            lw, ob = x.get("lanewisePacked", x.get("lanewise")), x.get("openblas")
            if lw is None or ob is None:
                cells.append("")
                continue
            g = lambda e: e["secondaryMetrics"]["flops"]["score"] / 1e9
            per = [a / b for a, b in zip(forks(lw), forks(ob))]
            cell = f"{g(lw):.1f} / {g(ob):.1f}: {g(lw) / g(ob):.2f}× (forks {min(per):.2f}–{max(per):.2f})"
            if shape == "512x512x512" and op == "NN" and isa == "avx512" and peak.get(isa):
                cell += f"; {100 * g(lw) / peak[isa]:.0f}% of {peak[isa]:.0f} peak"
            cells.append(cell)
        print(f"| {shape} {op} | " + " | ".join(cells) + " |")


def predict(d):
    print("| level | batch-1 p50, Lanewise / ONNX Runtime (µs) | batch-1 p99 | batch 128, calls/s | B/op (Lanewise b1, b128) |")
    print("|---|---|---|---|---|")
    for isa in LEVELS:
        r = {e["benchmark"].split(".")[-2] + "." + e["benchmark"].split(".")[-1]: e for e in load(d, f"predict-{isa}.json")}
        if not r:
            continue
        pct = lambda k, q: r[k]["primaryMetric"]["scorePercentiles"][q]
        l1, o1 = "PredictBenchmark.batch1", "OnnxRuntimeBenchmark.batch1"
        l128, o128 = "PredictBenchmark.batch128", "OnnxRuntimeBenchmark.batch128"
        p50 = f"{pct(l1, '50.0'):.1f} / {pct(o1, '50.0'):.1f}: {pct(o1, '50.0') / pct(l1, '50.0'):.2f}× faster"
        p99 = f"{pct(l1, '99.0'):.1f} / {pct(o1, '99.0'):.1f}: {pct(o1, '99.0') / pct(l1, '99.0'):.2f}×"
        s = lambda k: r[k]["primaryMetric"]["score"]
        per = [a / b for a, b in zip(forks(r[l128]), forks(r[o128]))]
        b128 = f"{s(l128):,.0f} / {s(o128):,.0f}: {s(l128) / s(o128):.2f}× (forks {min(per):.2f}–{max(per):.2f})"
        norm = lambda k: r[k]["secondaryMetrics"]["gc.alloc.rate.norm"]["score"]
        print(f"| {isa} | {p50} | {p99} | {b128} | {norm(l1):.3f}, {norm(l128):.3f} |")


def train(d):
    print("| level | optimizer | batch | samples/s (forks) | B/step |")
    print("|---|---|---|---|---|")
    for isa in LEVELS:
        for e in load(d, f"trainstep-{isa}.json"):
            p = e["params"]
            b = int(p["batch"])
            f = ", ".join(f"{x * b:,.0f}" for x in forks(e))
            norm = e["secondaryMetrics"]["gc.alloc.rate.norm"]["score"]
            print(f"| {isa} | {p['optimizer']} | {b} | {e['primaryMetric']['score'] * b:,.0f} ({f}) | {norm:.3f} |")


if __name__ == "__main__":
    d = sys.argv[1]
    for title, table in (("GEMM, GFLOPS", gemm), ("Prediction", predict), ("Training step, one thread", train)):
        print(f"\n### {title}\n")
        table(d)
