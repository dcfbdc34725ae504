#!/bin/bash
# The per-ISA runs of 2026-11-30 (third session), after the SSE vector GEMM and the 6-row tile.
set -x
cd /work/main
D=bench/results/isa-levels/2026-11-30b
J="-f 1 -wi 4 -w 2s -i 5 -r 1s"
./lanewise bench --isa avx2 GemmBenchmark -p impl=lanewise,openblas -p shape=128x784x256 -p op=NN,NT,TN $J -rf json -rff $D/gemm-ops-avx2.json > $D/gemm-ops-avx2.txt 2>&1
./lanewise bench --isa avx2 GemmBenchmark -p impl=lanewise,openblas -p shape=512x512x512,1x784x256,128x128x10 -p op=NN $J -rf json -rff $D/gemm-shapes-avx2.json > $D/gemm-shapes-avx2.txt 2>&1
./lanewise bench --isa sse GemmBenchmark -p impl=lanewise,openblas -p shape=512x512x512,128x784x256,1x784x256,128x128x10 -p op=NN $J -rf json -rff $D/gemm-shapes-sse.json > $D/gemm-shapes-sse.txt 2>&1
for isa in sse avx2; do
  ./lanewise bench --isa $isa --prof gc TrainStepBenchmark -p batch=32,128 -p threads=1 -p optimizer=sgd -f 1 -wi 6 -w 2s -i 4 -r 1s -rf json -rff $D/trainstep-$isa.json > $D/trainstep-$isa.txt 2>&1
done
