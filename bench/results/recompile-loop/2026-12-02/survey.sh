#!/bin/bash
# Uncommon traps per JMH fork: short runs of the GEMM, prediction and training benchmarks at each level, each fork
# logging its deoptimizations (-Xlog:deoptimization=debug) to OUT/LEVEL/deoptPID.log; count.py OUT/LEVEL... counts
# them. JAR: the benchmarks jar under test.
cd "$(dirname "$0")/../../../.."
for isa in ${LEVELS:-auto avx2 sse}; do
  rm -rf ${OUT:-/tmp/traps}/$isa; mkdir -p ${OUT:-/tmp/traps}/$isa
  flock /tmp/lanewise-cpu.lock ./lanewise bench --isa $isa --jar=${JAR:-bench/target/benchmarks.jar} 'TrainStepBenchmark|PredictBenchmark|GemmBenchmark' \
    -p impl=lanewise -p shape=128x128x10,512x512x512,1x784x256,128x784x256 -p op=NN,TN -p batch=32,128 -p threads=1 -p optimizer=sgd,adam \
    -f 1 -wi 3 -w 2s -i 2 -r 1s -jvmArgsAppend "-Xlog:deoptimization=debug:file=${OUT:-/tmp/traps}/$isa/deopt%p.log" > ${OUT:-/tmp/traps}/$isa/jmh.txt 2>&1
done
