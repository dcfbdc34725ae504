#!/bin/bash
# The commands of ../../2026-12-02/pytorch/run.sh (PyTorch at its defaults, Lanewise's TrainStepBenchmark at the
# default level, PyTorch again, one thread), run again on the Zen 4 (CPU family 25 model 17) with the core of
# d2a9099, into this directory:
#   JAR=/tmp/main.jar bench/results/isa-levels/2026-12-03b-zen4/pytorch/run.sh
P=bench/results/isa-levels/2026-12-03b-zen4/pytorch exec "$(dirname "$0")/../../2026-12-02/pytorch/run.sh"
