#!/usr/bin/env bash
# Fused piecewise epilogues (commit eb486b6, NEW_JAR) against their parent (b8195f2, BASE_JAR): the training step
# (784-256-128-10 ReLU, SGD, one thread) at b32 and b128, at AVX-512 and AVX2, 2 forks; then b128 at AVX-512 again
# with 3 forks, the new jar first (files *-2.*).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../../../.."
for isa in avx512 avx2; do
  for which in masks fused; do
    jar=$([ "$which" = masks ] && echo "$BASE_JAR" || echo "$NEW_JAR")
    flock /tmp/lanewise-cpu.lock "$root/lanewise" bench --isa "$isa" --jar="$jar" TrainStepBenchmark \
      -p batch=32,128 -p threads=1 -p optimizer=sgd -f 2 -wi 4 -w 2s -i 5 -r 1s \
      -rf json -rff "$here/$isa-$which.json" > "$here/$isa-$which.txt" 2>&1
  done
done
for which in fused masks; do
  jar=$([ "$which" = masks ] && echo "$BASE_JAR" || echo "$NEW_JAR")
  flock /tmp/lanewise-cpu.lock "$root/lanewise" bench --isa avx512 --jar="$jar" TrainStepBenchmark \
    -p batch=128 -p threads=1 -p optimizer=sgd -f 3 -wi 4 -w 2s -i 5 -r 1s \
    -rf json -rff "$here/avx512-$which-2.json" > "$here/avx512-$which-2.txt" 2>&1
done
