#!/bin/bash
# The training step against PyTorch, back to back on one thread, each holding /tmp/lanewise-cpu.lock: PyTorch at
# its defaults (Debian's python3-torch with libopenblas0-pthread), Lanewise's TrainStepBenchmark (2 forks, the JVM
# at its default level), PyTorch again. This machine's environment sets OPENBLAS_CORETYPE=Haswell and
# OPENBLAS_L2_SIZE=512: PyTorch runs without them, so that OpenBLAS detects the CPU (its default). The first run of
# this script kept them (torch-haswell*.jsonl).
set -x
cd "$(dirname "$0")/../../../../.."
P=${P:-bench/results/isa-levels/2026-12-02/pytorch}  # another directory for a later run of the same commands
JAR=${JAR:-bench/target/benchmarks.jar}
torch() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 flock /tmp/lanewise-cpu.lock /usr/bin/python3 bench/compare/torch_mlp.py --threads 1 --batches 32,128 > "$1"; }
torch $P/torch.jsonl
flock /tmp/lanewise-cpu.lock ./lanewise bench --jar=$JAR --prof gc TrainStepBenchmark -p batch=32,128 -p threads=1 -p optimizer=sgd,adam -f 2 -wi 4 -w 2s -i 5 -r 1s -rf json -rff $P/lanewise.json > $P/lanewise.txt 2>&1
torch $P/torch2.jsonl
