#!/bin/bash
# The commands of ../../2026-12-02/pytorch/run.sh (PyTorch at its defaults, Lanewise's TrainStepBenchmark at the
# default level, PyTorch again, one thread), run on a Zen 4 (CPU family 25 model 17) into this directory.
P=bench/results/isa-levels/2026-12-03-zen4/pytorch exec "$(dirname "$0")/../../2026-12-02/pytorch/run.sh"
