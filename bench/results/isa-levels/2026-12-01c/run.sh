#!/usr/bin/env bash
# The store of an edge panel (commit 59895e9) against its parent (08c0886): 128×128×10 NN with B packed, OpenBLAS
# in the same JMH run, at AVX-512 and AVX2. BASE_JAR and NEW_JAR are the two commits' bench/target/benchmarks.jar.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../../../.."
for isa in avx512 avx2; do
  for which in base new; do
    jar=$([ "$which" = base ] && echo "$BASE_JAR" || echo "$NEW_JAR")
    flock /tmp/lanewise-cpu.lock "$root/lanewise" bench --isa "$isa" --jar="$jar" GemmBenchmark \
      -p impl=lanewisePacked,openblas -p shape=128x128x10 -p op=NN -f 2 -wi 5 -w 2s -i 5 -r 1s \
      -rf json -rff "$here/narrow-$isa-$which.json" > "$here/narrow-$isa-$which.txt" 2>&1
  done
done
