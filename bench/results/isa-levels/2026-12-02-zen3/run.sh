#!/bin/bash
# A CPU with AVX2 and no AVX-512 (AMD EPYC, Zen 3), at c58062a+ (7d953fe): the GEMM against OpenBLAS with
# PeakFlopsBenchmark, prediction and the training step, two forks each, as ../2026-12-02/run.sh does per level.
# Prediction runs without ONNX Runtime: its model is exported with PyTorch, not installed on this machine.
set -x
cd "$(dirname "$0")/../../../.."
D=bench/results/isa-levels/2026-12-02-zen3
JAR=${JAR:-bench/target/benchmarks.jar}
J="-f 2 -wi 4 -w 2s -i 5 -r 1s"
lscpu | grep -E 'Model name|CPU family|Model:|Flags' > $D/cpu.txt
isa=avx2
flock /tmp/lanewise-cpu.lock ./lanewise bench --isa $isa --jar=$JAR 'GemmBenchmark|PeakFlopsBenchmark' -p impl=lanewise,openblas -p shape=512x512x512,128x784x256 -p op=NN,NT,TN $J -rf json -rff $D/gemm-ops-$isa.json > $D/gemm-ops-$isa.txt 2>&1
flock /tmp/lanewise-cpu.lock ./lanewise bench --isa $isa --jar=$JAR GemmBenchmark -p impl=lanewisePacked,openblas -p shape=1x784x256,128x128x10 -p op=NN $J -rf json -rff $D/gemm-shapes-$isa.json > $D/gemm-shapes-$isa.txt 2>&1
flock /tmp/lanewise-cpu.lock ./lanewise bench --isa $isa --jar=$JAR --prof gc 'PredictBenchmark' $J -rf json -rff $D/predict-$isa.json > $D/predict-$isa.txt 2>&1
flock /tmp/lanewise-cpu.lock ./lanewise bench --isa $isa --jar=$JAR --prof gc TrainStepBenchmark -p batch=32,128 -p threads=1 -p optimizer=sgd,adam $J -rf json -rff $D/trainstep-$isa.json > $D/trainstep-$isa.txt 2>&1
