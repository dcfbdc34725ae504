#!/bin/bash
# The commands of ../2026-12-02/run.sh (every level, two forks per benchmark: GEMM beside OpenBLAS with
# PeakFlopsBenchmark, prediction beside ONNX Runtime, the training step), run on a Zen 4 (CPU family 25
# model 17) with the core of 2ddde07, into this directory:
#   JAR=/tmp/table.jar bench/results/isa-levels/2026-12-03-zen4/run.sh
D=bench/results/isa-levels/2026-12-03-zen4 exec "$(dirname "$0")/../2026-12-02/run.sh"
