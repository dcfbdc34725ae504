#!/bin/bash
# After run.sh: prediction beside ONNX Runtime (its model exported by bench/compare/export_onnx.py once
# python3-torch was installed; in run.sh it was missing, and OnnxRuntimeBenchmark refused to start), and 512³ NN at
# AVX-512 again, whose first fork in run.sh ran while a package download was unpacking.
set -x
cd "$(dirname "$0")/../../../.."
D=bench/results/isa-levels/2026-12-02
JAR=${JAR:-bench/target/benchmarks.jar}
J="-f 2 -wi 4 -w 2s -i 5 -r 1s"
/usr/bin/python3 bench/compare/export_onnx.py bench/target/onnx
for isa in avx512 avx2; do
  flock /tmp/lanewise-cpu.lock ./lanewise bench --isa $isa --jar=$JAR --prof gc 'PredictBenchmark|OnnxRuntimeBenchmark' $J -rf json -rff $D/predict-$isa.json > $D/predict-$isa.txt 2>&1
done
flock /tmp/lanewise-cpu.lock ./lanewise bench --isa avx512 --jar=$JAR 'GemmBenchmark|PeakFlopsBenchmark' -p impl=lanewise,openblas -p shape=512x512x512 -p op=NN $J -rf json -rff $D/gemm-512nn-avx512.json > $D/gemm-512nn-avx512.txt 2>&1
