#!/bin/bash
# Cold start of training, BASE (a0ab055) against FIX (this change: matrix views through their last row's padding,
# no all-false masked load in the edge panel copy), rounds of 3 fresh JVMs interleaved. Jars as in ab.sh.
set -x
cd "$(dirname "$0")/../../../.."
D=bench/results/recompile-loop/2026-12-02/cold-start
for round in $(seq 1 ${ROUNDS:-4}); do
  for v in base fix; do
    flock /tmp/lanewise-cpu.lock ./lanewise java -cp /tmp/ab-$v.jar io.lanewise.bench.ColdStart --runs 3 --subjects train --modes plain --out /tmp/cold-start/$v-$round > /dev/null 2>&1
    cp /tmp/cold-start/$v-$round/raw.txt $D/$v-$round.txt
  done
done
