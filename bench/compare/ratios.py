#!/usr/bin/python3
"""Joins the PyTorch lines (torch_mlp.py) and the Lanewise JMH JSON into one table of ratios."""
import json
import sys


def lanewise(jmh_json):
    train, predict = {}, {}
    for r in json.load(open(jmh_json)):
        name = r["benchmark"].rsplit(".", 1)[-1]
        p = r.get("params", {})
        if name == "step":
            samples = r["secondaryMetrics"]["samples"]["score"]
            alloc = r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
            train[(int(p["batch"]), int(p["threads"]), p["optimizer"])] = (samples, alloc)
        elif name == "batch1":
            pct = r["primaryMetric"]["scorePercentiles"]
            predict = {"p50_us": pct["50.0"], "p99_us": pct["99.0"], "p999_us": pct["99.9"],
                       "alloc": r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))}
    return train, predict


def main(torch_lines, jmh_json):
    torch_train, torch_predict = {}, {}
    for line in open(torch_lines):
        r = json.loads(line)
        if r["kind"] == "train":
            torch_train[(r["batch"], r["threads"], r["optimizer"])] = r["samples_per_s"]
        else:
            torch_predict = r
    ours, our_predict = lanewise(jmh_json)
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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
