#!/usr/bin/env bash
# One round: this VM's pauses (gaps.c, 10 s on vCPU 1), the C control (l2calls.c, 10 s), then Lanewise's and ONNX
# Runtime's batch-1 prediction in one JMH run (two forks each), then the pauses again. From the repository root:
#   JAR=/tmp/main.jar bench/results/vm-pauses/2026-12-03c-zen4/run.sh N     (writes round-N-*.txt and .json here)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="$1"
gcc -O2 -o /tmp/gaps "$here/gaps.c"
gcc -O3 -march=native -o /tmp/l2calls "$here/l2calls.c"
pauses() { taskset -c 1 /tmp/gaps 10 | python3 "$here/pauses.py"; }
pauses > "$here/round-$n-pauses-before.txt"
taskset -c 1 /tmp/l2calls 10 > "$here/round-$n-l2calls.txt"
./lanewise bench ${JAR:+--jar=$JAR} 'OnnxRuntimeBenchmark.batch1$|PredictBenchmark.batch1$' -f 2 \
  -rf json -rff "$here/round-$n-batch1.json" > "$here/round-$n-batch1.txt" 2>&1
pauses > "$here/round-$n-pauses-after.txt"
python3 "$here/forks.py" "$here/round-$n-batch1.json" > "$here/round-$n-forks.txt"
cat "$here"/round-"$n"-pauses-before.txt "$here/round-$n-l2calls.txt" "$here/round-$n-forks.txt" "$here"/round-"$n"-pauses-after.txt
