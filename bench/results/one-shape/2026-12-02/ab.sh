#!/bin/bash
# A/B at the default level (AVX-512 here): the transposes and A's panel copies on 8-lane vectors (BASE, the jar of
# 11a6558) against the one shape, 16 lanes (ONE, this change). Each jar is bench/target/benchmarks.jar of
# `./lanewise mvn -B -ntp -q install -DskipTests -pl core,bench` at that commit, copied to /tmp/ab-base.jar and
# /tmp/ab-one.jar. The products that transpose (NT's B, a row-major A
# into panels: NN and NT at M = 128 and 512), TN (A's panel copies), a training step and a batch-128 prediction.
set -x
cd "$(dirname "$0")/../../../.."
D=bench/results/one-shape/2026-12-02
J="-f ${FORKS:-2} -wi 4 -w 2s -i 5 -r 1s"
for v in ${VARIANTS:-base one}; do
  flock /tmp/lanewise-cpu.lock ./lanewise bench --jar=/tmp/ab-$v.jar GemmBenchmark -p impl=lanewise -p shape=512x512x512,128x784x256 -p op=NN,NT,TN $J -rf json -rff $D/gemm-$v.json > $D/gemm-$v.txt 2>&1
  flock /tmp/lanewise-cpu.lock ./lanewise bench --jar=/tmp/ab-$v.jar --prof gc 'TrainStepBenchmark|PredictBenchmark.batch128' -p batch=128 -p threads=1 -p optimizer=sgd $J -rf json -rff $D/step-$v.json > $D/step-$v.txt 2>&1
done
