"""Per-fork percentiles of JMH SampleTime results (the JSON's raw histograms), µs."""
import json, sys
for r in json.load(open(sys.argv[1])):
    name = r['benchmark'].split('.')[-2]
    for f, fork in enumerate(r['primaryMetric']['rawDataHistogram']):
        points = sorted(p for iteration in fork for p in iteration)
        total = sum(c for _, c in points)
        def pct(q):
            seen = 0
            for v, c in points:
                seen += c
                if seen >= q * total:
                    return v
        print(f"{name} fork {f + 1}: p50 {pct(.5):.1f}  p99 {pct(.99):.1f}  p99.9 {pct(.999):.1f}")
