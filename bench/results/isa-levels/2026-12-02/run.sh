#!/bin/bash
# Every level at one commit (the HEAD of 2026-12-02's first session, after the narrow-panel change), two forks
# each, so the README's per-level tables rest on one run: GEMM against OpenBLAS at the same level (with
# PeakFlopsBenchmark), prediction beside ONNX Runtime, the training step with SGD and Adam. Each `lanewise bench`
# holds /tmp/lanewise-cpu.lock so that nothing else runs on the 2 cores meanwhile. ONNX Runtime has no ISA switch:
# it runs at the CPU's best level in every run.
set -x
cd "$(dirname "$0")/../../../.."
D=${D:-bench/results/isa-levels/2026-12-02}  # another directory for a later run of the same commands
JAR=${JAR:-bench/target/benchmarks.jar}
J="-f 2 -wi 4 -w 2s -i 5 -r 1s"
LEVELS=${LEVELS:-avx512 avx2 sse}
lscpu | grep -E 'Model name|CPU family|Model:|Flags' > $D/cpu.txt
for isa in $LEVELS; do
  flock /tmp/lanewise-cpu.lock ./lanewise bench --isa $isa --jar=$JAR 'GemmBenchmark|PeakFlopsBenchmark' -p impl=lanewise,openblas -p shape=512x512x512,128x784x256 -p op=NN,NT,TN $J -rf json -rff $D/gemm-ops-$isa.json > $D/gemm-ops-$isa.txt 2>&1
  flock /tmp/lanewise-cpu.lock ./lanewise bench --isa $isa --jar=$JAR GemmBenchmark -p impl=lanewisePacked,openblas -p shape=1x784x256,128x128x10 -p op=NN $J -rf json -rff $D/gemm-shapes-$isa.json > $D/gemm-shapes-$isa.txt 2>&1
  flock /tmp/lanewise-cpu.lock ./lanewise bench --isa $isa --jar=$JAR --prof gc 'PredictBenchmark|OnnxRuntimeBenchmark' $J -rf json -rff $D/predict-$isa.json > $D/predict-$isa.txt 2>&1
  flock /tmp/lanewise-cpu.lock ./lanewise bench --isa $isa --jar=$JAR --prof gc TrainStepBenchmark -p batch=32,128 -p threads=1 -p optimizer=sgd,adam $J -rf json -rff $D/trainstep-$isa.json > $D/trainstep-$isa.txt 2>&1
done
