#!/usr/bin/env bash
# Batch-1 latency at the same time in two JVMs: JMH's PredictBenchmark.batch1 (one fork; the launcher, the JMH
# runner and the fork all pinned to one vCPU, 0 unless given) and Tail.java's plain loop on the other (15 s of
# warm-up, then 15 s timed call by call, which overlaps JMH's measured iterations). From the repository root:
#   JAR=/tmp/main.jar bench/results/vm-pauses/2026-12-03c-zen4/tail-vs-jmh.sh N [JMH_CPU]  (writes tail-vs-jmh-N.txt)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="${JAR:-bench/target/benchmarks.jar}"
jmh_cpu="${2:-0}"
plain_cpu=$((1 - jmh_cpu))
home="$(./lanewise java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')"
out="$(mktemp -d)"
"$home/bin/javac" --add-modules jdk.incubator.vector -cp "$jar" -d "$out" "$here/Tail.java" 2>/dev/null
taskset -c "$jmh_cpu" ./lanewise bench --jar="$jar" 'PredictBenchmark.batch1$' -f 1 > "$out/jmh.txt" 2>&1 &
jmh=$!
sleep 3
taskset -c "$plain_cpu" "$home/bin/java" --add-modules jdk.incubator.vector -cp "$jar:$out" io.lanewise.bench.Tail 15 2>/dev/null > "$out/tail.txt"
wait $jmh
{ echo "# plain loop (vCPU $plain_cpu)"; cat "$out/tail.txt"; echo "# JMH fork (vCPU $jmh_cpu)"; grep -E 'batch1:p0.(50|90|99|999) ' "$out/jmh.txt"; } \
  > "$here/tail-vs-jmh-$1.txt"
cat "$here/tail-vs-jmh-$1.txt"
