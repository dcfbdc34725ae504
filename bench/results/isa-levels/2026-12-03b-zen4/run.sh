#!/bin/bash
# The commands of ../2026-12-02/run.sh (every level, two forks per benchmark: GEMM beside OpenBLAS with
# PeakFlopsBenchmark, prediction beside ONNX Runtime, the training step), run again on the Zen 4 (CPU family 25
# model 17) with the core of d2a9099 (after tileColumns, B's narrow panel in place and AVX2's plain-vector packing
# of a transposed A), into this directory:
#   JAR=/tmp/main.jar bench/results/isa-levels/2026-12-03b-zen4/run.sh
D=bench/results/isa-levels/2026-12-03b-zen4 exec "$(dirname "$0")/../2026-12-02/run.sh"
