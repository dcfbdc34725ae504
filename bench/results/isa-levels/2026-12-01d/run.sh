#!/usr/bin/env bash
# Masks from compares and masked memory only where C2 compiles it (commit 9cd755c) against its parent (bf267f3):
# 128×128×10 NN with B packed and the b128 SGD training step, at AVX-512 and AVX2, 2 forks each.
# BASE_JAR and NEW_JAR are the two commits' bench/target/benchmarks.jar.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../../../.."
for isa in avx512 avx2; do
  for which in base masks; do
    jar=$([ "$which" = base ] && echo "$BASE_JAR" || echo "$NEW_JAR")
    flock /tmp/lanewise-cpu.lock "$root/lanewise" bench --isa "$isa" --jar="$jar" 'GemmBenchmark|TrainStepBenchmark' \
      -p impl=lanewisePacked -p shape=128x128x10 -p op=NN -p batch=128 -p threads=1 -p optimizer=sgd \
      -f 2 -wi 4 -w 2s -i 5 -r 1s -rf json -rff "$here/$isa-$which.json" > "$here/$isa-$which.txt" 2>&1
  done
done
