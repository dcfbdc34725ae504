#!/bin/bash
# The commands of ../2026-12-02/run.sh (every level, two forks per benchmark: GEMM beside OpenBLAS with
# PeakFlopsBenchmark, prediction beside ONNX Runtime, the training step), run on a second Zen 5 (CPU family 26
# model 2) with the core of 36c2dbe, into this directory:
#   JAR=/tmp/table.jar LEVELS="avx512 avx2" bench/results/isa-levels/2026-12-02b/run.sh, then LEVELS=sse.
D=bench/results/isa-levels/2026-12-02b exec "$(dirname "$0")/../2026-12-02/run.sh"
