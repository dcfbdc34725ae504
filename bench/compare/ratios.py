#!/usr/bin/python3
"""Joins the PyTorch lines (torch_mlp.py) and the Lanewise JMH JSON into one table of ratios.

  ratios.py TORCH_JSONL JMH_JSON     PyTorch against Lanewise, then ONNX Runtime against Lanewise
  ratios.py JMH_JSON                 ONNX Runtime against Lanewise only (OnnxRuntimeBenchmark and PredictBenchmark
                                     from one JMH run)
"""
import json
import sys

nan = float("nan")


def lanewise(jmh_json):
    """Training by key, Lanewise's predict figures and ONNX Runtime's, from one JMH JSON file."""
    train, predict, onnx = {}, {}, {}
    for r in json.load(open(jmh_json)):
        owner, name = r["benchmark"].rsplit(".", 2)[-2:]
        p = r.get("params", {})
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score", float("nan"))
        if owner == "TrainStepBenchmark" and name == "step":
            samples = r["secondaryMetrics"]["samples"]["score"]
            train[(int(p["batch"]), int(p["threads"]), p["optimizer"])] = (samples, alloc)
        elif owner in ("PredictBenchmark", "OnnxRuntimeBenchmark"):
            into = predict if owner == "PredictBenchmark" else onnx
            if name == "batch1":
                pct = r["primaryMetric"]["scorePercentiles"]
                into.update({"p50_us": pct["50.0"], "p99_us": pct["99.0"], "p999_us": pct["99.9"],
                             "mean_us": r["primaryMetric"]["score"], "alloc": alloc})
            elif name == "batch128":
                into.update({"batch128_per_s": r["primaryMetric"]["score"], "alloc128": alloc})
    return train, predict, onnx


def onnx_table(ours, onnx):
    """ONNX Runtime against Lanewise, one thread: batch-1 latency and batch-128 throughput."""
    if not ours or not onnx:
        return
    print()
    print("| predict, 1 thread | batch-1 p50 µs | mean µs | p99 µs | p99.9 µs | B/call | batch-128 calls/s | B/call |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, r in (("ONNX Runtime", onnx), ("Lanewise", ours)):
        print(f"| {label} | {r.get('p50_us', nan):.2f} | {r.get('mean_us', nan):.2f} | {r.get('p99_us', nan):.1f} "
              f"| {r.get('p999_us', nan):.1f} | {r.get('alloc', nan):.3g} | {r.get('batch128_per_s', nan):,.0f} "
              f"| {r.get('alloc128', nan):.3g} |")
    ratio = lambda key: onnx.get(key, nan) / ours.get(key, nan)  # latency: ORT time / Lanewise time
    print(f"| Lanewise vs ONNX Runtime (>1: Lanewise faster) | {ratio('p50_us'):.2f}x | {ratio('mean_us'):.2f}x "
          f"| {ratio('p99_us'):.2f}x | {ratio('p999_us'):.2f}x | "
          f"| {ours.get('batch128_per_s', nan) / onnx.get('batch128_per_s', nan):.2f}x | |")


def main(torch_lines, jmh_json):
    torch_train, torch_predict, torch_levels = {}, {}, None
    for line in open(torch_lines):
        r = json.loads(line)
        if r["kind"] == "train":
            torch_train[(r["batch"], r["threads"], r["optimizer"])] = r["samples_per_s"]
        elif r["kind"] == "levels":
            torch_levels = r
        else:
            torch_predict = r
    if torch_levels:
        print(f"PyTorch {torch_levels['torch']}: CPU capability {torch_levels['cpu_capability']}, "
              f"OpenBLAS core {torch_levels['openblas_core']}")
        print()
    ours, our_predict, onnx = lanewise(jmh_json)
    print("| optimizer | batch | threads | PyTorch samples/s | Lanewise samples/s | Lanewise / PyTorch | Lanewise B/step |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key in sorted(ours, key=lambda k: (k[2], k[1], k[0])):
        b, t, o = key
        samples, alloc = ours[key]
        theirs = torch_train.get(key)
        ratio = f"{samples / theirs:.2f}x" if theirs else "n/a"
        theirs_text = f"{theirs:,.0f}" if theirs else "not run"
        print(f"| {o} | {b} | {t} | {theirs_text} | {samples:,.0f} | {ratio} | {alloc:.2g} |")
    if torch_predict and our_predict:
        print()
        print("| batch-1 predict, 1 thread | p50 µs | p99 µs | p99.9 µs |")
        print("|---|---:|---:|---:|")
        print(f"| PyTorch eager | {torch_predict['p50_us']:.1f} | {torch_predict['p99_us']:.1f} | {torch_predict['p999_us']:.1f} |")
        print(f"| Lanewise ({our_predict['alloc']:.2g} B/call) | {our_predict['p50_us']:.1f} | {our_predict['p99_us']:.1f} "
              f"| {our_predict['p999_us']:.1f} |")
        print(f"| PyTorch / Lanewise | {torch_predict['p50_us'] / our_predict['p50_us']:.1f}x "
              f"| {torch_predict['p99_us'] / our_predict['p99_us']:.1f}x | |")
    onnx_table(our_predict, onnx)


if __name__ == "__main__":
    if len(sys.argv) == 2:
        _, predict_only, onnx_only = lanewise(sys.argv[1])
        onnx_table(predict_only, onnx_only)
    elif len(sys.argv) == 3:
        main(sys.argv[1], sys.argv[2])
    else:
        sys.exit(__doc__)
