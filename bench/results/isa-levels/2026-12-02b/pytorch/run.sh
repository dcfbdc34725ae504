#!/bin/bash
# The commands of ../../2026-12-02/pytorch/run.sh (PyTorch at its defaults, Lanewise's TrainStepBenchmark at the
# default level, PyTorch again, one thread), run on a second Zen 5 (CPU family 26 model 2) into this directory.
P=bench/results/isa-levels/2026-12-02b/pytorch exec "$(dirname "$0")/../../2026-12-02/pytorch/run.sh"
