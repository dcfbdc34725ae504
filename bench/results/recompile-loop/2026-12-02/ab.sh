#!/bin/bash
# A/B under SSE (-XX:UseAVX=0, 128-bit vectors without masked loads, NEON's case): the scalar panel copy with a
# column test around its read (BASE, the jar of a0ab055, which C2 recompiled in a loop) against two loops (FIX).
# Each jar is bench/target/benchmarks.jar of `./lanewise mvn -B -ntp -q install -DskipTests -pl core,bench` at that
# commit, copied to /tmp/ab-base.jar and /tmp/ab-fix.jar. The products with an edge panel of B (N = 10) and the
# training step, whose last layer has 10 outputs.
set -x
cd "$(dirname "$0")/../../../.."
D=bench/results/recompile-loop/2026-12-02
J="-f ${FORKS:-2} -wi 4 -w 2s -i 5 -r 1s"
for v in ${VARIANTS:-base fix}; do
  flock /tmp/lanewise-cpu.lock ./lanewise bench --isa sse --jar=/tmp/ab-$v.jar GemmBenchmark -p impl=lanewise,lanewisePacked -p shape=128x128x10 -p op=NN,TN $J -rf json -rff $D/gemm-$v.json > $D/gemm-$v.txt 2>&1
  flock /tmp/lanewise-cpu.lock ./lanewise bench --isa sse --jar=/tmp/ab-$v.jar --prof gc 'TrainStepBenchmark' -p batch=32,128 -p threads=1 -p optimizer=sgd $J -rf json -rff $D/step-$v.json > $D/step-$v.txt 2>&1
done
